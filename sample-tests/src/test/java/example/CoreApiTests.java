package example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.ExecResult;
import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.NodeProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The core API, without the extension: plain try-with-resources. */
@Timeout(30)
class CoreApiTests {

    @Test
    void aNetworkWithoutJUnit() throws Exception {
// README: core
        try (Network network = Network.builder().node("server", "client").nat(false).build()) {
            Node server = network.node("server");
            Node client = network.node("client");

            ServerSocket listener = server.run(() -> new ServerSocket(8080));
            server.executor().submit(() -> {
                try (listener; Socket peer = listener.accept()) {
                    peer.getOutputStream().write(42);
                }
                return null;
            });
            int answer = client.run(() -> {
                try (Socket socket = new Socket(server.ipv4(), 8080)) {
                    return socket.getInputStream().read();
                }
            });
            ExecResult hostname = client.exec("hostname");

            assertThat(answer).isEqualTo(42);
            assertThat(hostname.stdout().strip()).isEqualTo("client");
        }
// README: end
    }

    @Test
    void aFixedSubnetCanBeReusedAsSoonAsItsNetworkIsClosed() {
        for (int round = 0; round < 5; round++) {
            try (Network network = Network.builder().subnet("10.215.8.0/24").node("again").build()) {
                assertThat(network.node("again").ipv4().getHostAddress()).isEqualTo("10.215.8.2");
            }
        }
    }

    @Test
    void closingANodeStopsTheProcessesItStarted() throws Exception {
        NodeProcess sleeper;
        try (Network network = Network.builder().node("worker").build()) {
            sleeper = network.node("worker").start("sleep", "60");
            assertThat(sleeper.isAlive()).isTrue();
        }
        assertThat(sleeper.waitFor(java.time.Duration.ofSeconds(10))).as("stopped with its node").isTrue();
    }

    @Test
    void aNodeListsItsThreadsUntilItIsClosed() throws Exception {
        Node node;
        try (Network network = Network.builder().node("busy").build()) {
            node = network.node("busy");
            node.run(() -> null);
            assertThat(node.threadsInside()).isNotEmpty();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!node.threadsInside().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(node.threadsInside()).isEmpty();
    }

    @Test
    void execTimesOutAndKillsTheProcess() throws Exception {
        try (Network network = Network.builder().node("slow").build()) {
            Node slow = network.node("slow");
            long start = System.nanoTime();
            try {
                slow.exec(java.time.Duration.ofMillis(300), "sleep", "30");
                throw new AssertionError("exec should have timed out");
            } catch (IOException expected) {
                assertThat(expected.getMessage()).contains("did not finish within");
            }
            assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
        }
    }
}
