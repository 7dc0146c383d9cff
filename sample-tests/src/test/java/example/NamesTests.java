package example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** Java code inside nodes resolves node names with plain InetAddress; every network has its own names. */
@IsolatedNetwork
@Timeout(60)
class NamesTests {
    private static final Map<String, InetAddress> RESOLVED = new ConcurrentHashMap<>();
    private static final CountDownLatch BOTH_UP = new CountDownLatch(2);

    @Container
    Node server;
    @Container
    Node client;

    @Test
    void aClientResolvesAJvmServerByNameWithInetAddress() throws Exception {
        ServerSocket listener = server.run(() -> new ServerSocket(9000));
        Future<String> served = server.executor().submit(() -> {
            try (listener; Socket peer = listener.accept()) {
                new DataOutputStream(peer.getOutputStream()).writeUTF("hello from " + InetAddress.getLocalHost()
                        .getHostName());
                return InetAddress.getByAddress(peer.getInetAddress().getAddress()).getHostName(); // reverse lookup
            }
        });

        String greeting = client.run(() -> {
            InetAddress address = InetAddress.getByName("server");
            try (Socket socket = new Socket(address, 9000)) {
                return new DataInputStream(socket.getInputStream()).readUTF();
            }
        });

        assertThat(greeting).isEqualTo("hello from server");
        assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo("client");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void left(Network network) throws Exception {
        resolvesItsOwnServer("left", network);
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void right(Network network) throws Exception {
        resolvesItsOwnServer("right", network);
    }

    /** Both tests run at once, each with its own network with a node named "server". */
    private void resolvesItsOwnServer(String me, Network network) throws Exception {
        BOTH_UP.countDown();
        assertThat(BOTH_UP.await(30, TimeUnit.SECONDS)).as("both tests run in parallel").isTrue();
        for (int i = 0; i < 20; i++) {
            InetAddress resolved = client.run(() -> InetAddress.getByName("server"));
            assertThat(resolved).isEqualTo(server.ipv4()).isEqualTo(network.address("server"));
            RESOLVED.put(me, resolved);
        }
        String seenByCurlLikeProcesses = client.exec("getent", "ahostsv4", "server").stdout();
        assertThat(seenByCurlLikeProcesses).startsWith(server.ipv4().getHostAddress() + " ");
    }
}
