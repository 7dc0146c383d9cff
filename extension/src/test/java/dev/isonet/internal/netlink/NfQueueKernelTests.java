package dev.isonet.internal.netlink;

import dev.isonet.RequiresPrivileges;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isonet.internal.linux.LinuxException;
import dev.isonet.internal.netlink.NfQueue.Packet;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Root: packets of a fresh namespace queued to this JVM and given verdicts. The rule that queues them is
 * {@code ip filter output udp dport 9999} with the xt NFQUEUE target through nft_compat (this kernel has no
 * native nft queue expression), as iptables-nft writes {@code -j NFQUEUE --queue-num 7}; the test writes it
 * itself over nf_tables, so that it needs neither iptables nor nft.
 */
@RequiresPrivileges
@Timeout(120)
class NfQueueKernelTests {
    private static final int QUEUE = 7;
    private static final int PORT = 9999;
    private ScratchNamespace ns;
    private NfQueue queue;
    private DatagramSocket receiver;
    private DatagramSocket sender;

    @BeforeEach
    void namespaceWithAQueueRule() throws Exception {
        ScratchNamespace.assumeRoot();
        ns = ScratchNamespace.create();
        try (NfTables nft = ns.call(() -> NfTables.open("scratch namespace"))) {
            nft.batch().tableAdd(NfTables.FAMILY_IPV4, "queue", 0)
                    .chainAdd(NfTables.FAMILY_IPV4, "queue", "output", "filter", NfTables.HOOK_OUTPUT, 0)
                    .ruleAdd(NfTables.FAMILY_IPV4, "queue", "output", List.of(
                            NfExpression.meta(META_L4PROTO, NfExpression.REG_1),
                            NfExpression.cmpEq(NfExpression.REG_1, new byte[] {17}),
                            transportPayload(2, 2),
                            NfExpression.cmpEq(NfExpression.REG_1, new byte[] {(byte) (PORT >> 8), (byte) PORT}),
                            nfqueueTarget(QUEUE)))
                    .commit();
        }
        queue = ns.own(ns.call(() -> NfQueue.open(QUEUE, NfQueue.NFQNL_COPY_PACKET, 0xffff, 1024, 0, 200,
                "scratch namespace")));
        receiver = ns.own(ns.call(() -> new DatagramSocket(new InetSocketAddress("127.0.0.1", PORT))));
        receiver.setSoTimeout(500);
        sender = ns.own(ns.call(() -> new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))));
    }

    private static final int META_L4PROTO = 16;

    /** Loads {@code length} bytes at {@code offset} of the transport header (NFT_PAYLOAD_TRANSPORT_HEADER). */
    private static NfExpression transportPayload(int offset, int length) {
        return new NfExpression("payload", m -> m.attrBe32(1, NfExpression.REG_1).attrBe32(2, 2)
                .attrBe32(3, offset).attrBe32(4, length));
    }

    /**
     * The xt NFQUEUE target, revision 3, through nft_compat: NFTA_TARGET_NAME, _REV, _INFO. The info is
     * struct xt_NFQ_info_v3 (host-endian u16 queuenum, queues_total, flags) padded to XT_ALIGN: 8 bytes.
     */
    private static NfExpression nfqueueTarget(int queue) {
        byte[] info = {(byte) queue, (byte) (queue >> 8), 1, 0, 0, 0, 0, 0};
        return new NfExpression("target", m -> m.attrString(1, "NFQUEUE").attrBe32(2, 3).attr(3, info));
    }

    @AfterEach
    void remove() {
        if (ns != null) {
            ns.close();
        }
    }

    private void send(String text) throws Exception {
        byte[] data = text.getBytes(StandardCharsets.US_ASCII);
        sender.send(new DatagramPacket(data, data.length, new InetSocketAddress("127.0.0.1", PORT)));
    }

    private Packet next() {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Packet> packets = queue.receive();
            if (!packets.isEmpty()) {
                assertThat(packets).hasSize(1);
                return packets.get(0);
            }
        }
        throw new AssertionError("no packet queued within 2 s");
    }

    private String received() throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
        receiver.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
    }

    @Test
    void aQueuedPacketArrivesWithItsMetadataAndPayloadAndPassesOnAccept() throws Exception {
        send("hello");

        Packet packet = next();
        System.out.println("queued: " + packet + " payload " + Hex.dump(packet.payload()));
        assertThat(packet.queue()).isEqualTo(QUEUE);
        assertThat(packet.hook()).isEqualTo(NfQueue.NF_INET_LOCAL_OUT);
        assertThat(packet.hwProtocol()).isEqualTo(0x0800);
        assertThat(packet.outIndex()).as("lo").isEqualTo(1);
        assertThat(packet.length()).isEqualTo(20 + 8 + 5);
        assertThat(Arrays.copyOfRange(packet.payload(), 28, 33)).asString().isEqualTo("hello");
        assertThatThrownBy(this::received).as("held until its verdict").isInstanceOf(SocketTimeoutException.class);

        queue.verdict(packet.id(), NfQueue.NF_ACCEPT);

        assertThat(received()).isEqualTo("hello");
    }

    @Test
    void aDroppedPacketNeverArrives() throws Exception {
        send("drop me");
        queue.verdict(next().id(), NfQueue.NF_DROP);
        send("keep me");
        queue.verdict(next().id(), NfQueue.NF_ACCEPT);

        assertThat(received()).isEqualTo("keep me");
    }

    @Test
    void aBatchVerdictPassesEveryPacketUpToItsId() throws Exception {
        List<Packet> packets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            send("batch " + i);
            packets.add(next());
        }

        queue.verdictBatch(packets.get(2).id(), NfQueue.NF_ACCEPT);

        assertThat(List.of(received(), received(), received())).containsExactly("batch 0", "batch 1", "batch 2");
    }

    @Test
    void aVerdictForAnUnknownPacketIsRefusedAndCounted() throws Exception {
        queue.verdict(123_456, NfQueue.NF_ACCEPT);
        send("after");
        queue.verdict(next().id(), NfQueue.NF_ACCEPT);

        assertThat(received()).isEqualTo("after");
        assertThat(queue.refusedVerdicts()).as("ENOENT from the kernel, logged").isEqualTo(1);
    }

    @Test
    void aSecondSocketCannotTakeABoundQueue() {
        assertThatThrownBy(() -> ns.call(() -> NfQueue.open(QUEUE, NfQueue.NFQNL_COPY_META, 0, 1024, 0, 200, "second")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("another socket holds it")
                .cause().isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errnoName()).isEqualTo("EPERM"));
    }

    @Test
    void aQueueNumberIsPerNetworkNamespace() throws Exception {
        // The same number in a second namespace: its own queue, bound by its own socket, fed by its own rules.
        try (ScratchNamespace other = ScratchNamespace.create()) {
            NfQueue second = other.own(other.call(() -> NfQueue.open(QUEUE, NfQueue.NFQNL_COPY_META, 0, 16, 0, 200,
                    "second namespace")));
            send("first");
            Packet packet = next();
            queue.verdict(packet.id(), NfQueue.NF_ACCEPT);

            assertThat(received()).isEqualTo("first");
            assertThat(second.receive()).as("nothing queued in the other namespace").isEmpty();
        }
    }

    @Test
    void verdictThroughputOneByOneAndInBatches() throws Exception {
        int count = 20_000;
        double single = throughput(count, false);
        double batched = throughput(count, true);
        System.out.printf("nfqueue verdicts: %.0f packets/s one by one, %.0f packets/s in batches (%d packets, "
                + "256 in flight)%n", single, batched, count);
        assertThat(single).isPositive();
    }

    /** Sends {@code count} datagrams with at most 256 waiting for a verdict; answers verdicts per second. */
    private double throughput(int count, boolean batch) throws Exception {
        Semaphore window = new Semaphore(256);
        CompletableFuture<Long> verdicts = CompletableFuture.supplyAsync(() -> {
            int done = 0;
            while (done < count) {
                List<Packet> packets = queue.receive();
                if (packets.isEmpty()) {
                    throw new IllegalStateException("no packet for 200 ms after " + done);
                }
                if (batch) {
                    queue.verdictBatch(packets.get(packets.size() - 1).id(), NfQueue.NF_ACCEPT);
                } else {
                    for (Packet packet : packets) {
                        queue.verdict(packet.id(), NfQueue.NF_ACCEPT);
                    }
                }
                done += packets.size();
                window.release(packets.size());
            }
            return System.nanoTime();
        });
        byte[] data = new byte[64];
        DatagramPacket packet = new DatagramPacket(data, data.length, new InetSocketAddress("127.0.0.1", PORT));
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (!window.tryAcquire(5, TimeUnit.SECONDS)) {
                throw new AssertionError("no verdicts for 5 s after " + i + " packets");
            }
            sender.send(packet);
        }
        long end = verdicts.get(60, TimeUnit.SECONDS);
        return count / ((end - start) / 1e9);
    }
}
