package example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Static nodes are shared by the class; instance nodes are fresh for every test and join the same network. */
@IsolatedNetwork
@Timeout(30)
class ScopeTests {
    private static final Set<Node> CLIENTS_SEEN = new HashSet<>();
    private static ServerSocket shared;

    @Container
    static Node server;
    @Container
    Node client;

    @BeforeAll
    static void startServer() throws Exception {
        shared = server.run(() -> new ServerSocket(8000, 50));
    }

    private void connects() throws Exception {
        client.run(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(server.ipv4(), 8000), 5_000);
            }
            return null;
        });
    }

    @RepeatedTest(3)
    void eachRepetitionGetsAFreshClientOnTheSharedNetwork(Network network) throws Exception {
        assertThat(network.nodes()).contains(server, client);
        assertThat(CLIENTS_SEEN.add(client)).as("a new client node").isTrue();
        connects();
    }

    @ParameterizedTest
    @ValueSource(strings = {"one", "two"})
    void parameterizedTestsGetNodesToo(String label, @Container Node extra) throws Exception {
        assertThat(extra.name()).isEqualTo("extra");
        assertThat(extra.ipv4()).isNotEqualTo(client.ipv4());
        assertThat(extra.exec("hostname").stdout().strip()).isEqualTo("extra");
        connects();
    }

    @Nested
    class InANestedClass {
        @Container
        Node inner;

        @Test
        void nestedNodesJoinTheEnclosingNetwork(Network network) throws Exception {
            assertThat(network.nodes()).contains(server, client, inner);
            inner.run(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(server.ipv4(), 8000), 5_000);
                }
                return null;
            });
        }
    }

    @Test
    void threadsStartedByNodeThreadsStayInTheNode() throws Exception {
        String seen = client.run(() -> {
            String[] result = new String[1];
            Thread child = new Thread(() -> result[0] = java.net.InetAddress.getLoopbackAddress().getHostAddress()
                    + " " + readHostname());
            child.start();
            child.join();
            return result[0];
        });
        assertThat(seen).endsWith(" client");
    }

    private static String readHostname() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Test
    void threadFactoryThreadsLiveInTheNode() throws Exception {
        String[] hostname = new String[1];
        Thread thread = client.threadFactory().newThread(() -> hostname[0] = readHostname());
        thread.start();
        thread.join();
        assertThat(hostname[0]).isEqualTo("client");
    }

    @Test
    void execRunsAProcessInsideTheNode() throws Exception {
        var result = client.exec("cat", "/proc/sys/kernel/hostname");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout().strip()).isEqualTo("client");
    }
}
