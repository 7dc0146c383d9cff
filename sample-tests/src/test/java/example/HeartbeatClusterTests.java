package example;

import static org.awaitility.Awaitility.await;

import dev.isonet.Fault;
import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A small cluster written in the test: each member sends a heartbeat to the others every 50 ms, counts a peer
 * alive while it heard from it in the last 400 ms, and follows the lowest-named member it sees as leader, if it
 * sees a majority. A partition leaves the minority without a leader and the majority with its own; heal()
 * brings them back to one.
 */
@IsolatedNetwork
@Timeout(60)
class HeartbeatClusterTests {
    private static final int PORT = 9500;
    private static final Duration ALIVE_FOR = Duration.ofMillis(400);

    @Container
    Node a;
    @Container
    Node b;
    @Container
    Node c;

    /** One member, running in its node: a heartbeat sender and a receiver. */
    static final class Member implements AutoCloseable {
        private final String name;
        private final List<Node> cluster;
        private final DatagramSocket socket;
        private final Map<String, Long> lastHeard = new ConcurrentHashMap<>();
        private volatile boolean running = true;

        Member(Node self, List<Node> cluster) throws Exception {
            this.name = self.name();
            this.cluster = cluster;
            this.socket = self.run(() -> new DatagramSocket(PORT));
            self.executor().submit(this::beat);
            self.executor().submit(this::listen);
        }

        private Void beat() throws Exception {
            byte[] me = name.getBytes(StandardCharsets.UTF_8);
            while (running) {
                for (Node peer : cluster) {
                    if (!peer.name().equals(name)) {
                        try {
                            socket.send(new DatagramPacket(me, me.length, peer.ipv4(), PORT));
                        } catch (IOException lost) {
                            // a heartbeat that cannot leave is a heartbeat lost
                        }
                    }
                }
                Thread.sleep(50);
            }
            return null;
        }

        private Void listen() throws IOException {
            byte[] buffer = new byte[64];
            try {
                while (running) {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    lastHeard.put(new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8), System.nanoTime());
                }
            } catch (SocketException closed) {
                // close() ends it
            }
            return null;
        }

        /** The lowest-named member among those it sees, itself included, if they are a majority. */
        Optional<String> leader() {
            TreeSet<String> alive = new TreeSet<>(List.of(name));
            lastHeard.forEach((peer, at) -> {
                if (System.nanoTime() - at < ALIVE_FOR.toNanos()) {
                    alive.add(peer);
                }
            });
            return alive.size() > cluster.size() / 2 ? Optional.of(alive.first()) : Optional.empty();
        }

        @Override
        public void close() {
            running = false;
            socket.close();
        }
    }

    @Test
    void theMajorityFollowsItsOwnLeaderDuringAPartitionAndAllAgreeAgainAfterHeal(Network network) throws Exception {
        List<Node> nodes = List.of(a, b, c);
        try (Member ma = new Member(a, nodes); Member mb = new Member(b, nodes); Member mc = new Member(c, nodes)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> List.of(ma.leader(), mb.leader(), mc.leader())
                    .equals(List.of(Optional.of("a"), Optional.of("a"), Optional.of("a"))));

            Fault split = network.partition(List.of(a), List.of(b, c));

            await().atMost(Duration.ofSeconds(5)).until(() -> List.of(ma.leader(), mb.leader(), mc.leader())
                    .equals(List.of(Optional.empty(), Optional.of("b"), Optional.of("b"))));

            split.heal();

            await().atMost(Duration.ofSeconds(5)).until(() -> List.of(ma.leader(), mb.leader(), mc.leader())
                    .equals(List.of(Optional.of("a"), Optional.of("a"), Optional.of("a"))));
        }
    }
}
