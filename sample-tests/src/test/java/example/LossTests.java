package example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.Direction;
import dev.isonet.Fault;
import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Random loss on a node's link: each packet is dropped on its own, with the probability asked for. */
// README: loss
@IsolatedNetwork
@Timeout(60)
class LossTests {
    private static final int DATAGRAMS = 2_000;

    @Container
    Node sender;
    @Container
    Node receiver;

    @Test
    void thirtyPercentLossDropsAboutThirtyPercentOfTheDatagrams() throws Exception {
        DatagramSocket socket = receiver.run(() -> new DatagramSocket(9000));
        AtomicInteger highest = new AtomicInteger(-1);
        Future<BitSet> received = receiver.executor().submit(() -> {
            BitSet seen = new BitSet(DATAGRAMS);
            try (socket) {
                socket.setSoTimeout(1_000); // done after a second of silence
                byte[] buffer = new byte[4];
                while (true) {
                    socket.receive(new DatagramPacket(buffer, 4));
                    int index = ByteBuffer.wrap(buffer).getInt();
                    seen.set(index);
                    highest.accumulateAndGet(index, Math::max);
                }
            } catch (SocketTimeoutException quiet) {
                return seen;
            }
        });

        Fault loss = receiver.loss(30, Direction.INGRESS); // reads "loss 30% ingress on node receiver"
        sender.run(() -> {
            try (DatagramSocket out = new DatagramSocket()) {
                for (int i = 0; i < DATAGRAMS; i++) {
                    out.send(new DatagramPacket(ByteBuffer.allocate(4).putInt(i).array(), 4, receiver.ipv4(), 9000));
                    if (i % 50 == 49) {
                        // Paced by the receiver, so that only the fault drops datagrams, never a full buffer.
                        long deadline = System.nanoTime() + 1_000_000_000L;
                        while (highest.get() < i - 25 && System.nanoTime() < deadline) {
                            Thread.sleep(1);
                        }
                    }
                }
            }
            return null;
        });

        double lost = 1 - received.get(30, TimeUnit.SECONDS).cardinality() / (double) DATAGRAMS;
        assertThat(lost).isBetween(0.25, 0.35); // 30% ± 5 points: about ±5 standard deviations at n = 2000
        assertThat(loss).hasToString("loss 30% ingress on node receiver");
    }
}
// README: end
