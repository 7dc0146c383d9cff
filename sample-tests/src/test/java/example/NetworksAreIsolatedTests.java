package example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

@IsolatedNetwork
@Timeout(60)
class NetworksAreIsolatedTests {
    private static final int PORT = 6000;
    private static final Map<String, InetAddress> SERVERS = new ConcurrentHashMap<>();
    private static final CountDownLatch BOTH_LISTENING = new CountDownLatch(2);
    private static final CountDownLatch BOTH_PROBED = new CountDownLatch(2);

    @Container
    Node node;

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void left(Network network) throws Exception {
        cannotReachTheOtherTestsNetwork("left", "right", network);
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void right(Network network) throws Exception {
        cannotReachTheOtherTestsNetwork("right", "left", network);
    }

    /** Both tests run at once, each with its own network, and each tries to reach the other's server. */
    private void cannotReachTheOtherTestsNetwork(String me, String other, Network network) throws Exception {
        try (ServerSocket listener = node.run(() -> new ServerSocket(PORT))) {
            SERVERS.put(me, node.ipv4());
            BOTH_LISTENING.countDown();
            assertThat(BOTH_LISTENING.await(30, TimeUnit.SECONDS)).as("both tests run in parallel").isTrue();
            InetAddress theirs = SERVERS.get(other);

            assertThat(network.subnet()).doesNotContain(theirs.getHostAddress().substring(0,
                    theirs.getHostAddress().lastIndexOf('.') + 1));
            assertThatThrownBy(() -> node.run(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(theirs, PORT), 1_000);
                }
                return null;
            })).isInstanceOf(IOException.class);

            BOTH_PROBED.countDown();
            BOTH_PROBED.await(30, TimeUnit.SECONDS); // keep listening until the other test has probed
        }
    }

    @Test
    void aNetworkBuiltWithTheCoreApiIsIsolatedToo() throws Exception {
        try (Network other = Network.builder().node("stranger").build()) {
            Node stranger = other.node("stranger");
            try (ServerSocket listener = stranger.run(() -> new ServerSocket(PORT + 1))) {
                // the host reaches both networks ...
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(stranger.ipv4(), PORT + 1), 5_000);
                }
                // ... but one network's node cannot reach the other's
                assertThatThrownBy(() -> node.run(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(stranger.ipv4(), PORT + 1), 1_000);
                    }
                    return null;
                })).isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void aNodeReachesTheHostOnlyAtItsOwnNetworksHostAddress(Network network) throws Exception {
        try (Network other = Network.builder().node("stranger").build();
             ServerSocket mine = new ServerSocket(PORT + 2, 50, network.hostAddress());
             ServerSocket theirs = new ServerSocket(PORT + 2, 50, other.hostAddress())) {
            // a service the test runs on the host, at this network's host address: reachable
            node.run(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(network.hostAddress(), PORT + 2), 5_000);
                }
                return null;
            });
            try (Socket accepted = mine.accept()) { // masqueraded: with NAT on, the host sees the egress address
                assertThat(accepted.getInetAddress()).isEqualTo(network.egressAddress());
            }
            // the same host, at the other network's host address: not from here
            assertThatThrownBy(() -> node.run(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(other.hostAddress(), PORT + 2), 1_000);
                }
                return null;
            })).isInstanceOf(IOException.class);
        }
    }
}
