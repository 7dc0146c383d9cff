package example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.junit.IsolatedNetwork;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@IsolatedNetwork
@Timeout(30)
class SamePortOnFiveNodesTests {

    @Test
    void fiveNodesBindPort8080AtTheSameTime(Network network) throws Exception {
        List<ServerSocket> servers = new ArrayList<>();
        try {
            for (int i = 1; i <= 5; i++) {
                Node node = network.addNode("web" + i);
                servers.add(node.run(() -> new ServerSocket(8080)));
            }
            Set<String> seen = new HashSet<>();
            for (Node node : network.nodes()) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(node.ipv4(), 8080), 5_000);
                    seen.add(socket.getInetAddress().getHostAddress());
                }
            }
            assertThat(seen).hasSize(5);
            assertThat(servers).allSatisfy(s -> assertThat(s.getLocalPort()).isEqualTo(8080));
        } finally {
            for (ServerSocket server : servers) {
                server.close();
            }
        }
    }
}
