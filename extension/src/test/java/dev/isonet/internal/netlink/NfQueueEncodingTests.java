package dev.isonet.internal.netlink;

import static dev.isonet.internal.netlink.Hex.wire;
import static dev.isonet.internal.netlink.Hex.assertBytes;
import static dev.isonet.internal.netlink.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * nfnetlink_queue messages byte for byte against libnetfilter_queue 1.0.5 (Debian 12), whose message
 * builders (nfq_nlmsg_put, nfq_nlmsg_cfg_put_cmd, _params, _qmaxlen, nfq_nlmsg_verdict_put) wrote the same
 * commands into a buffer, printed with sequence number 42. The one intentional difference: configuration
 * asks for an ACK (flags 0x0005, the library sends 0x0001), as every Isonet change does. Verdicts are
 * identical: no ACK, as the kernel answers refused ones anyway. nfnetlink integers are big-endian.
 */
@GoldenBytes
class NfQueueEncodingTests {
    private static final int SEQUENCE = 42;

    @Test
    void aQueueIsBoundAsLibnetfilterQueueBindsIt() {
        byte[] expected = bytes(
                "1c000000",                   // nlmsg_len = 28
                "0203",                       // nlmsg_type = NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_CONFIG
                "0500",                       // REQUEST | ACK (library: REQUEST)
                "2a000000", "00000000",
                "00", "00", "0007",           // nfgenmsg: AF_UNSPEC, NFNETLINK_V0, res_id = queue 7 (BE)
                "0800 0100",                  // NFQA_CFG_CMD
                "01 00 0000");                //   command BIND, pad, pf AF_UNSPEC

        assertBytes(wire(NfQueue.bind(7)), expected);
    }

    @Test
    void aQueueIsUnboundAsLibnetfilterQueueUnbindsIt() {
        byte[] expected = bytes("1c000000", "0203", "0500", "2a000000", "00000000", "00 00 0007",
                "0800 0100", "02 00 0000");   // command UNBIND

        assertBytes(wire(NfQueue.unbind(7)), expected);
    }

    @Test
    void theCopyModeIsAPackedRangeAndModeAsLibnetfilterQueueSendsIt() {
        byte[] expected = bytes(
                "20000000", "0203", "0500", "2a000000", "00000000", "00 00 0007",
                "0900 0200",                  // NFQA_CFG_PARAMS, 9 bytes: packed struct
                "0000ffff",                   //   copy_range = 65535 (BE)
                "02",                         //   copy_mode = NFQNL_COPY_PACKET
                "000000");                    //   pad

        assertBytes(wire(NfQueue.params(7, NfQueue.NFQNL_COPY_PACKET, 0xffff)), expected);
    }

    @Test
    void metadataOnlyCopiesNothing() {
        byte[] expected = bytes("20000000", "0203", "0500", "2a000000", "00000000", "00 00 0007",
                "0900 0200", "00000000", "01", "000000"); // range 0, NFQNL_COPY_META

        assertBytes(wire(NfQueue.params(7, NfQueue.NFQNL_COPY_META, 0)), expected);
    }

    @Test
    void theMaximumLengthIsABigEndianU32() {
        byte[] expected = bytes("1c000000", "0203", "0500", "2a000000", "00000000", "00 00 0007",
                "0800 0300", "00001000");     // NFQA_CFG_QUEUE_MAXLEN = 4096

        assertBytes(wire(NfQueue.maxLength(7, 4096)), expected);
    }

    @Test
    void flagsGoWithTheirMaskAsTheLibraryExampleSendsThem() {
        byte[] expected = bytes("24000000", "0203", "0500", "2a000000", "00000000", "00 00 0007",
                "0800 0500", "00000005",      // NFQA_CFG_FLAGS = FAIL_OPEN | GSO
                "0800 0400", "00000005");     // NFQA_CFG_MASK: the flags to change

        int flags = NfQueue.NFQA_CFG_F_FAIL_OPEN | NfQueue.NFQA_CFG_F_GSO;
        assertBytes(wire(NfQueue.flags(7, flags, flags)), expected);
    }

    @Test
    void aVerdictIsExactlyWhatLibnetfilterQueueSends() {
        byte[] expected = bytes(
                "20000000",                   // nlmsg_len = 32
                "0103",                       // NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_VERDICT
                "0100",                       // REQUEST only
                "2a000000", "00000000", "00 00 0007",
                "0c00 0200",                  // NFQA_VERDICT_HDR
                "00000001",                   //   verdict = NF_ACCEPT (BE)
                "000004d2");                  //   id = 1234 (BE)

        assertBytes(NfQueue.verdict(7, 1234, NfQueue.NF_ACCEPT).toBytes(SEQUENCE), expected);
    }

    @Test
    void aDropIsVerdictZero() {
        byte[] expected = bytes("20000000", "0103", "0100", "2a000000", "00000000", "00 00 0007",
                "0c00 0200", "00000000", "000004d3"); // NF_DROP, id 1235

        assertBytes(NfQueue.verdict(7, 1235, NfQueue.NF_DROP).toBytes(SEQUENCE), expected);
    }

    @Test
    void aBatchVerdictNamesTheHighestIdItCovers() {
        byte[] expected = bytes("20000000", "0303", "0100", "2a000000", "00000000", "00 00 0007",
                "0c00 0200", "00000001", "000007d0"); // NFQNL_MSG_VERDICT_BATCH: accept all up to 2000

        assertBytes(NfQueue.verdictBatch(7, 2000, NfQueue.NF_ACCEPT).toBytes(SEQUENCE), expected);
    }

    @Test
    void aQueuedPacketFromTheKernelReadsItsIdProtocolHookInterfaceAndPayload() {
        // what kernel 6.18 sent for "hello" to 127.0.0.1:9999, queued at LOCAL_OUT (NfQueueKernelTests)
        byte[] message = bytes(
                "4d000000",                   // nlmsg_len = 77: the last attribute's padding is not counted
                "0003", "0000", "00000000", "00000000", // NFQNL_MSG_PACKET, no flags, seq 0, pid 0
                "02 00 0007",                 // nfgenmsg: NFPROTO_IPV4, V0, queue 7
                "0b00 0100", "00000001 0800 03", "00", // NFQA_PACKET_HDR: id 1, ETH_P_IP, NF_INET_LOCAL_OUT, pad
                "0800 0600", "00000001",      // NFQA_IFINDEX_OUTDEV = 1 (lo)
                "2500 0a00",                  // NFQA_PAYLOAD, 33 bytes: IPv4 + UDP + "hello"
                "4500002172684000 4011ca617f000001 7f000001", "8b1d270f000d0bd3", "68656c6c6f");

        NfQueue.Packet packet = NfQueue.packet(Reply.copyOf(message, 0, message.length));

        assertThat(packet.queue()).isEqualTo(7);
        assertThat(packet.id()).isEqualTo(1);
        assertThat(packet.hwProtocol()).isEqualTo(0x0800);
        assertThat(packet.hook()).isEqualTo(NfQueue.NF_INET_LOCAL_OUT);
        assertThat(packet.outIndex()).isEqualTo(1);
        assertThat(packet.length()).as("no NFQA_CAP_LEN: nothing was cut").isEqualTo(33);
        assertThat(new String(packet.payload(), 28, 5, StandardCharsets.US_ASCII)).isEqualTo("hello");
    }

    @Test
    void aQueuedPacketReadsItsIdProtocolHookInterfacesAndPayload() {
        // laid out after linux/netfilter/nfnetlink_queue.h: a 28-byte UDP/IPv4 datagram queued at LOCAL_OUT
        byte[] message = bytes(
                "5c000000", "0003", "0000", "00000000", "00000000", // NFQNL_MSG_PACKET
                "02 00 0007",                 // nfgenmsg: AF_INET, V0, queue 7
                "0b00 0100", "0000002a 0800 03 00", // NFQA_PACKET_HDR: id 42, ETH_P_IP, hook LOCAL_OUT + pad
                "0800 0600", "00000001",      // NFQA_IFINDEX_OUTDEV = 1
                "0800 0e00", "00000000",      // NFQA_SKB_INFO
                "2000 0a00",                  // NFQA_PAYLOAD, 28 bytes
                "4500001c00004000401100007f0000017f000001", "d431270f00080000",
                "0800 0d00", "000005dc");     // NFQA_CAP_LEN = 1500: the copy was cut

        NfQueue.Packet packet = NfQueue.packet(Reply.copyOf(message, 0, message.length));

        assertThat(packet.queue()).isEqualTo(7);
        assertThat(packet.id()).isEqualTo(42);
        assertThat(packet.hwProtocol()).isEqualTo(0x0800);
        assertThat(packet.hook()).isEqualTo(NfQueue.NF_INET_LOCAL_OUT);
        assertThat(packet.outIndex()).isEqualTo(1);
        assertThat(packet.inIndex()).isZero();
        assertThat(packet.payload()).hasSize(28);
        assertThat(packet.length()).isEqualTo(1500);
    }

    @Test
    void aReceivedPacketReadsTheSourceLinkAddress() {
        // laid out after linux/netfilter/nfnetlink_queue.h: an IPv6 packet queued at PRE_ROUTING from eth0
        byte[] message = bytes(
                "34000000", "0003", "0000", "00000000", "00000000", // NFQNL_MSG_PACKET, 52 bytes
                "0a 00 fde9",                 // nfgenmsg: AF_INET6, V0, queue 65001
                "0b00 0100", "00000005 86dd 00 00", // NFQA_PACKET_HDR: id 5, ETH_P_IPV6, PRE_ROUTING + pad
                "0800 0500", "00000002",      // NFQA_IFINDEX_INDEV = 2
                "1000 0900",                  // NFQA_HWADDR, struct nfqnl_msg_packet_hw
                "0006 0000",                  //   hw_addrlen = 6 (BE), pad
                "02aabbccddee 0000");         //   hw_addr[8]

        NfQueue.Packet packet = NfQueue.packet(Reply.copyOf(message, 0, message.length));

        assertThat(packet.queue()).isEqualTo(65001);
        assertThat(packet.hook()).isEqualTo(NfQueue.NF_INET_PRE_ROUTING);
        assertThat(packet.inIndex()).isEqualTo(2);
        assertThat(packet.hwAddress()).containsExactly(0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee);
        assertThat(packet.payload()).isNull();
    }
}
