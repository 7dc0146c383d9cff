package example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// README: echo
@IsolatedNetwork
@Timeout(30)
class EchoServerTests {
    @Container
    Node server;
    @Container
    Node client;

    @Test
    void clientReachesAnEchoServerInAnotherNodeByAddress() throws Exception {
        ServerSocket listener = server.run(() -> new ServerSocket(7));
        Future<String> served = server.executor().submit(() -> {
            try (listener; Socket peer = listener.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
                new PrintWriter(peer.getOutputStream(), true).println(in.readLine());
                return peer.getInetAddress().getHostAddress();
            }
        });

        String echoed = client.run(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(server.ipv4(), 7), 5_000);
                socket.setSoTimeout(5_000);
                new PrintWriter(socket.getOutputStream(), true).println("hello");
                return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
            }
        });

        assertThat(echoed).isEqualTo("hello");
        assertThat(served.get(5, TimeUnit.SECONDS)).isEqualTo(client.ipv4().getHostAddress());
    }
}
// README: end
