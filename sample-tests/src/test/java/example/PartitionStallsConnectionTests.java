package example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isonet.Fault;
import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A partition cuts connections that are already open, not only new ones; after heal() TCP carries on. */
// README: partition
@IsolatedNetwork
@Timeout(60)
class PartitionStallsConnectionTests {
    @Container
    Node server;
    @Container
    Node client;

    @Test
    void anOpenConnectionStallsDuringAPartitionAndResumesAfterHeal(Network network) throws Exception {
        ServerSocket listener = server.run(() -> new ServerSocket(7000));
        server.executor().submit(() -> { // echoes each line
            try (listener; Socket peer = listener.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(peer.getOutputStream(), true);
                for (String line; (line = in.readLine()) != null; ) {
                    out.println(line);
                }
            }
            return null;
        });
        try (Socket socket = client.run(() -> new Socket(server.ipv4(), 7000))) {
            socket.setSoTimeout(1_000);
            PrintWriter out = new PrintWriter(socket.getOutputStream(), true);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out.println("before");
            assertThat(in.readLine()).isEqualTo("before");

            Fault split = network.partition(List.of(client), List.of(server));
            out.println("during");

            assertThatThrownBy(in::readLine).isInstanceOf(SocketTimeoutException.class);
            split.heal(); // TCP retransmits "during" and the echo comes back, on the same connection
            socket.setSoTimeout(10_000);
            assertThat(in.readLine()).isEqualTo("during");
        }
    }
}
// README: end
