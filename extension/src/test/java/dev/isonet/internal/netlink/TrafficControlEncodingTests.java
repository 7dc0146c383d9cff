package dev.isonet.internal.netlink;

import static dev.isonet.internal.netlink.Hex.wire;
import static dev.isonet.internal.netlink.Hex.assertBytes;
import static dev.isonet.internal.netlink.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isonet.internal.netlink.TrafficControl.Netem;
import dev.isonet.internal.netlink.TrafficControl.Tbf;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The qdisc and class requests, byte for byte, against what {@code tc} (iproute2 6.1) sent for the command in
 * each comment, captured with {@code strace -e trace=sendmsg -xx} in a throwaway namespace where the link
 * had index 3. The one intentional difference: tc appends a 1 KiB rate table (TCA_TBF_RTAB, TCA_HTB_RTAB and
 * TCA_HTB_CTAB) after the attributes shown, which Isonet leaves out because its rate specs name the link
 * layer (see {@link TrafficControl}); lengths here are tc's minus those tables. netem's bytes come from tc
 * on a kernel without sch_netem: tc sends them all the same, and the kernel refuses them.
 */
@GoldenBytes
class TrafficControlEncodingTests {
    private static final int SEQUENCE = 42;

    @Test
    void aTokenBucketIsAddedAsTcAddsItWithoutTheRateTable() {
        // tc qdisc add dev va root tbf rate 1mbit burst 5000 limit 20000
        byte[] expected = bytes(
                "60000000",                   // nlmsg_len = 96 (tc: 1124, with TCA_TBF_RTAB)
                "2400",                       // nlmsg_type = RTM_NEWQDISC
                "0506",                       // REQUEST | ACK | EXCL | CREATE
                "2a000000", "00000000",       // seq, pid
                "00 00 0000",                 // tcmsg: AF_UNSPEC, pads
                "03000000",                   //   tcm_ifindex = 3
                "00000000",                   //   tcm_handle = 0: the kernel's choice
                "ffffffff",                   //   tcm_parent = TC_H_ROOT
                "00000000",                   //   tcm_info
                "0800 0100", "74626600",      // TCA_KIND "tbf"
                "3400 0200",                  // TCA_OPTIONS, not flagged nested (as tc sends it)
                "2800 0100",                  //   TCA_TBF_PARMS, struct tc_tbf_qopt
                "03 01 0000 ffff 0000",       //     rate: cell_log 3, TC_LINKLAYER_ETHERNET, overhead, cell_align -1, mpu
                "48e80100",                   //       rate = 125000 B/s (1 Mbit/s)
                "000000000000000000000000",   //     peakrate: none
                "204e0000",                   //     limit = 20000 B
                "68890900",                   //     buffer = 625000 ticks of 64 ns = 40 ms = 5000 B at the rate
                "00000000",                   //     mtu
                "0800 0600", "88130000");     //   TCA_TBF_BURST = 5000 B

        assertBytes(wire(TrafficControl.qdiscAddTbf(3, new Tbf(125_000, 5000, 20_000))), expected);
    }

    @Test
    void aTokenBucketFasterThanFourGigabytesASecondCarriesRate64AndReplacesAsTcDoes() {
        // tc qdisc replace dev va root tbf rate 40gbit burst 1mb limit 100000
        byte[] expected = bytes(
                "6c000000",                   // nlmsg_len = 108 (tc: 1136)
                "2400",                       // RTM_NEWQDISC
                "0505",                       // REQUEST | ACK | REPLACE | CREATE
                "2a000000", "00000000",
                "00 00 0000", "03000000", "00000000", "ffffffff", "00000000",
                "0800 0100", "74626600",      // TCA_KIND "tbf"
                "4000 0200",                  // TCA_OPTIONS
                "2800 0100",                  //   TCA_TBF_PARMS
                "03 01 0000 ffff 0000 ffffffff", // rate saturated at 2^32-1: the real one is in RATE64
                "000000000000000000000000",
                "a0860100",                   //     limit = 100000 B
                "e40e0000",                   //     buffer = 3812 ticks (tc computes it from the saturated rate)
                "00000000",
                "0800 0600", "00001000",      //   TCA_TBF_BURST = 1 MiB
                "0c00 0400", "00f2052a01000000"); // TCA_TBF_RATE64 = 5e9 B/s

        assertBytes(wire(TrafficControl.qdiscReplaceTbf(3, new Tbf(5_000_000_000L, 1 << 20, 100_000))), expected);
    }

    @Test
    void theRootQdiscIsDeletedAsTcDeletesIt() {
        // tc qdisc del dev va root
        byte[] expected = bytes(
                "24000000",                   // nlmsg_len = 36
                "2500",                       // nlmsg_type = RTM_DELQDISC
                "0500",                       // REQUEST | ACK
                "2a000000", "00000000",
                "00 00 0000", "03000000", "00000000", "ffffffff", "00000000"); // tcmsg: index 3, root

        assertBytes(wire(TrafficControl.qdiscDelRoot(3)), expected);
    }

    @Test
    void anHtbRootIsAddedExactlyAsTcAddsIt() {
        // tc qdisc add dev va root handle 1: htb default 10 (tc reads 10 as hex: class 1:10 is 0x10)
        byte[] expected = bytes(
                "48000000",                   // nlmsg_len = 72
                "2400", "0506", "2a000000", "00000000",
                "00 00 0000", "03000000",
                "00000100",                   //   tcm_handle = 1:0
                "ffffffff", "00000000",
                "0800 0100", "68746200",      // TCA_KIND "htb"
                "1c00 0200",                  // TCA_OPTIONS
                "1800 0200",                  //   TCA_HTB_INIT, struct tc_htb_glob
                "03000000",                   //     version = 3
                "0a000000",                   //     rate2quantum = 10
                "10000000",                   //     defcls = 0x10
                "00000000", "00000000");      //     debug, direct_pkts

        assertBytes(wire(TrafficControl.qdiscAddHtb(3, TrafficControl.handle(1, 0), 0x10)), expected);
    }

    @Test
    void anHtbClassIsAddedAsTcAddsItWithoutRateTables() {
        // tc class add dev va parent 1: classid 1:10 htb rate 1mbit ceil 2mbit (default burst: 1600 B)
        byte[] expected = bytes(
                "60000000",                   // nlmsg_len = 96 (tc: 2152, with TCA_HTB_RTAB and TCA_HTB_CTAB)
                "2800",                       // nlmsg_type = RTM_NEWTCLASS
                "0506", "2a000000", "00000000",
                "00 00 0000", "03000000",
                "10000100",                   //   tcm_handle = class 1:10
                "00000100",                   //   tcm_parent = 1:0
                "00000000",
                "0800 0100", "68746200",      // TCA_KIND "htb"
                "3400 0200",                  // TCA_OPTIONS
                "3000 0100",                  //   TCA_HTB_PARMS, struct tc_htb_opt
                "03 01 0000 ffff 0000 48e80100", // rate 125000 B/s
                "03 01 0000 ffff 0000 90d00300", // ceil 250000 B/s
                "400d0300",                   //     buffer = 200000 ticks: 1600 B at the rate
                "a0860100",                   //     cbuffer = 100000 ticks: 1600 B at the ceil
                "00000000", "00000000", "00000000"); // quantum (from r2q), level, prio

        assertBytes(wire(TrafficControl.classAddHtb(3, TrafficControl.handle(1, 0x10), 125_000, 250_000, 1600, 1600)),
                expected);
    }

    @Test
    void anHtbClassFasterThanFourGigabytesASecondPutsRate64AndCeil64FirstAsTcDoes() {
        // tc class add dev va parent 1: classid 1:10 htb rate 40gbit ceil 50gbit
        byte[] expected = bytes(
                "78000000",                   // nlmsg_len = 120 (tc: 2176)
                "2800", "0506", "2a000000", "00000000",
                "00 00 0000", "03000000", "10000100", "00000100", "00000000",
                "0800 0100", "68746200",
                "4c00 0200",                  // TCA_OPTIONS
                "0c00 0600", "00f2052a01000000", // TCA_HTB_RATE64 = 5e9 B/s
                "0c00 0700", "806e877401000000", // TCA_HTB_CEIL64 = 6.25e9 B/s
                "3000 0100",                  //   TCA_HTB_PARMS
                "03 01 0000 ffff 0000 ffffffff", // rates saturated at 2^32-1
                "03 01 0000 ffff 0000 ffffffff",
                "00000000", "00000000",       //     buffers: 1600 B take less than a microsecond
                "00000000", "00000000", "00000000");

        assertBytes(wire(TrafficControl.classAddHtb(3, TrafficControl.handle(1, 0x10), 5_000_000_000L,
                6_250_000_000L, 1600, 1600)), expected);
    }

    @Test
    void netemDelayAndJitterAreSentExactlyAsTcSendsThem() {
        // tc qdisc add dev va root netem delay 50ms 10ms
        byte[] expected = bytes(
                "4c000000",                   // nlmsg_len = 76
                "2400", "0506", "2a000000", "00000000",
                "00 00 0000", "03000000", "00000000", "ffffffff", "00000000",
                "0a00 0100", "6e6574656d00 0000", // TCA_KIND "netem"
                "1c00 0200",                  // TCA_OPTIONS: struct tc_netem_qopt, no attributes after it
                "c2eb0b00",                   //   latency = 781250 ticks = 50 ms
                "e8030000",                   //   limit = 1000 packets
                "00000000",                   //   loss
                "00000000",                   //   gap
                "00000000",                   //   duplicate
                "5a620200");                  //   jitter = 156250 ticks = 10 ms

        assertBytes(wire(TrafficControl.qdiscAddNetem(3, Netem.delay(Duration.ofMillis(50), Duration.ofMillis(10)))),
                expected);
    }

    @Test
    void netemLossAndDuplicationAreProbabilitiesOfTwoToTheThirtyTwoAsTcRoundsThem() {
        // tc qdisc add dev va root netem delay 50ms 10ms loss 1% duplicate 2%
        byte[] expected = bytes(
                "4c000000", "2400", "0506", "2a000000", "00000000",
                "00 00 0000", "03000000", "00000000", "ffffffff", "00000000",
                "0a00 0100", "6e6574656d00 0000",
                "1c00 0200",
                "c2eb0b00", "e8030000",
                "295c8f02",                   //   loss = 1% of 2^32-1
                "00000000",
                "52b81e05",                   //   duplicate = 2% of 2^32-1
                "5a620200");

        assertBytes(wire(TrafficControl.qdiscAddNetem(3, Netem.delay(Duration.ofMillis(50), Duration.ofMillis(10))
                .loss(1).duplicate(2))), expected);
    }

    @Test
    void theQdiscDumpAsksAsTcQdiscShowDoes() {
        // tc qdisc show
        byte[] expected = bytes(
                "24000000", "2600", "0103", "2a000000", "00000000", // RTM_GETQDISC, REQUEST | DUMP
                "00 00 0000", "00000000", "00000000", "00000000", "00000000");

        assertBytes(TrafficControl.qdiscDumpRequest().toBytes(SEQUENCE), expected);
    }

    @Test
    void aTokenBucketFromTheKernelIsReadBackWithItsRateLimitAndBurst() {
        // from the kernel, after: tc qdisc add dev va root tbf rate 1mbit burst 5000 limit 20000; tc qdisc show
        byte[] message = bytes(
                "bc000000", "2400", "0200", "eb420f6b", "d1710000", // RTM_NEWQDISC, MULTI
                "00 00 0000", "03000000", "00000380", "ffffffff", "03000000", // index 3, handle 8003:, root
                "0800 0100", "74626600",
                "2c00 0200", "2800 0100",
                "00 01 0000 0000 0000 48e80100", "000000000000000000000000",
                "204e0000", "68890900", "00000000",
                "0500 0c00", "00000000",      // TCA_HW_OFFLOAD
                "3000 0700", "1400 0100 5a00000000000000 01000000 00000000", // TCA_STATS2
                "1800 0300 000000000000000000000000000000000000 0000",
                "2c00 0300", "5a000000 00000000 01000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000");

        TrafficControl.Qdisc qdisc = TrafficControl.qdisc(Reply.copyOf(message, 0, message.length));

        assertThat(qdisc.index()).isEqualTo(3);
        assertThat(qdisc.kind()).isEqualTo("tbf");
        assertThat(qdisc.isRoot()).isTrue();
        assertThat(qdisc.handle()).isEqualTo(0x80030000);
        assertThat(qdisc.tbf()).isEqualTo(new Tbf(125_000, 5000, 20_000));
    }

    @Test
    void badSettingsAreRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> new Tbf(0, 5000, 20_000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 B/s");
        assertThatThrownBy(() -> Netem.delay(Duration.ofMillis(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-0.001S");
        assertThatThrownBy(() -> Netem.delay(Duration.ZERO, Duration.ZERO).loss(101))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loss 101.0");
        assertThatThrownBy(() -> TrafficControl.classAddHtb(3, 0x10010, 2000, 1000, 1600, 1600))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rate 2000 ceil 1000");
    }

    @Test
    void aNetemRootWithAHandleIsSentExactlyAsTcSendsIt() {
        // tc qdisc add dev va root handle 1: netem delay 50ms 10ms limit 10000
        byte[] expected = bytes(
                "4c000000", "2400", "0506", "2a000000", "00000000",
                "00 00 0000", "03000000",
                "00000100",                   //   tcm_handle = 1:0
                "ffffffff", "00000000",
                "0a00 0100", "6e6574656d00 0000", // TCA_KIND "netem"
                "1c00 0200",
                "c2eb0b00",                   //   latency = 50 ms
                "10270000",                   //   limit = 10000 packets
                "00000000", "00000000", "00000000",
                "5a620200");                  //   jitter = 10 ms

        assertBytes(wire(TrafficControl.qdiscAddNetem(3, TrafficControl.handle(1, 0),
                new Netem(Duration.ofMillis(50), Duration.ofMillis(10), 0, 0, 10_000))), expected);
    }

    @Test
    void aNetemRootIsReplacedWithTheReplaceFlagsAsTcReplacesIt() {
        // tc qdisc replace dev va root handle 1: netem delay 50ms 10ms
        byte[] expected = bytes(
                "4c000000", "2400",
                "0505",                       // REQUEST | ACK | REPLACE | CREATE
                "2a000000", "00000000",
                "00 00 0000", "03000000", "00000100", "ffffffff", "00000000",
                "0a00 0100", "6e6574656d00 0000",
                "1c00 0200", "c2eb0b00", "e8030000", "00000000", "00000000", "00000000", "5a620200");

        assertBytes(wire(TrafficControl.qdiscReplaceNetem(3, TrafficControl.handle(1, 0),
                Netem.delay(Duration.ofMillis(50), Duration.ofMillis(10)))), expected);
    }

    @Test
    void aTokenBucketBelowNetemIsAddedAndReplacedAsTcDoesWithoutTheRateTable() {
        // tc qdisc add dev va parent 1:1 handle 10: tbf rate 1mbit burst 5000 limit 20000, and the same with
        // replace: the root variant's bytes with tcm_handle 10:0 and tcm_parent 1:1
        String[] body = {
                "00 00 0000", "03000000",
                "00001000",                   //   tcm_handle = 10:0
                "01000100",                   //   tcm_parent = 1:1, netem's one class
                "00000000",
                "0800 0100", "74626600",
                "3400 0200", "2800 0100",
                "03 01 0000 ffff 0000", "48e80100", "000000000000000000000000", "204e0000", "68890900",
                "00000000", "0800 0600", "88130000"};
        Tbf tbf = new Tbf(125_000, 5000, 20_000);

        assertBytes(wire(TrafficControl.qdiscAddTbf(3, TrafficControl.handle(1, 1), TrafficControl.handle(0x10, 0),
                tbf)), bytes(concat(new String[] {"60000000", "2400", "0506", "2a000000", "00000000"}, body)));
        assertBytes(wire(TrafficControl.qdiscReplaceTbf(3, TrafficControl.handle(1, 1),
                TrafficControl.handle(0x10, 0), tbf)),
                bytes(concat(new String[] {"60000000", "2400", "0505", "2a000000", "00000000"}, body)));
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
