package example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.HostSnapshot;
import dev.isonet.Network;
import dev.isonet.Node;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Churn: many networks built, used and closed from two threads at once; afterwards the host holds nothing
 * more than before. Run with {@code mvn -Psoak verify -Disonet.soak.rounds=N} (default 20 per thread).
 */
@Tag("soak")
class ChurnSoakTests {
    private static final int ROUNDS = Integer.getInteger("isonet.soak.rounds", 20);
    private static final int NODES = Integer.getInteger("isonet.soak.nodes", 5);
    private static final int THREADS = 2;

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void networksBuiltAndClosedOverAndOverLeaveNothingBehind() throws Exception {
        HostSnapshot before = HostSnapshot.take();
        List<Double> setupMillis = Collections.synchronizedList(new ArrayList<>());
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(threads.submit(() -> {
                    for (int round = 0; round < ROUNDS; round++) {
                        long start = System.nanoTime();
                        try (Network network = Network.builder().node(names()).build()) {
                            setupMillis.add((System.nanoTime() - start) / 1e6);
                            reachEveryNode(network);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(15, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
        List<Double> sorted = new ArrayList<>(setupMillis);
        Collections.sort(sorted);
        System.out.printf("churn: %d networks of %d nodes on %d threads; setup median %.2f ms, max %.2f ms%n",
                sorted.size(), NODES, THREADS, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
        assertThat(sorted).hasSize(ROUNDS * THREADS);
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(HostSnapshot.take().leftSince(before)).isEmpty());
    }

    private static String[] names() {
        String[] names = new String[NODES];
        for (int i = 0; i < NODES; i++) {
            names[i] = "n" + i;
        }
        return names;
    }

    /** The host connects to a listener in every node: each is up, addressed and routed. */
    private static void reachEveryNode(Network network) throws Exception {
        for (Node node : network.nodes()) {
            try (ServerSocket listener = node.run(() -> new ServerSocket(9999))) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(node.ipv4(), 9999), 5_000);
                }
            }
        }
    }
}
