package example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A one-way block: what a sends to b is dropped, what b sends to a still arrives. */
@IsolatedNetwork
@Timeout(60)
class OneWayBlockTests {
    @Container
    Node a;
    @Container
    Node b;

    @Test
    void connectsFromAToBTimeOutWhileDatagramsFromBStillReachA(Network network) throws Exception {
        try (ServerSocket listener = b.run(() -> new ServerSocket(8000));
             DatagramSocket inbox = a.run(() -> new DatagramSocket(9000))) {
            network.block(a, b);

            assertThatThrownBy(() -> a.run(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(b.ipv4(), 8000), 1_000);
                }
                return null;
            })).isInstanceOf(SocketTimeoutException.class);

            b.run(() -> {
                try (DatagramSocket out = new DatagramSocket()) {
                    byte[] hello = "hello from b".getBytes(StandardCharsets.UTF_8);
                    out.send(new DatagramPacket(hello, hello.length, a.ipv4(), 9000));
                }
                return null;
            });
            inbox.setSoTimeout(5_000);
            DatagramPacket packet = new DatagramPacket(new byte[64], 64);
            inbox.receive(packet);
            assertThat(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8))
                    .isEqualTo("hello from b");
        }
    }
}
