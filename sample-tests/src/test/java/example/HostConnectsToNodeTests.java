package example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// README: host
@IsolatedNetwork
@Timeout(30)
class HostConnectsToNodeTests {
    @Container
    Node db;

    @Test
    void theTestThreadConnectsToAServerInANode(Network network) throws Exception {
        try (ServerSocket listener = db.run(() -> new ServerSocket(5432))) {
            Future<String> peer = db.executor().submit(() -> {
                try (Socket accepted = listener.accept()) {
                    return accepted.getInetAddress().getHostAddress();
                }
            });

            try (Socket socket = new Socket()) { // the test's own thread, on the host
                socket.connect(new InetSocketAddress(db.ipv4(), 5432), 5_000);
            }

            assertThat(peer.get(5, TimeUnit.SECONDS)).isEqualTo(network.hostAddress().getHostAddress());
        }
    }
}
// README: end
