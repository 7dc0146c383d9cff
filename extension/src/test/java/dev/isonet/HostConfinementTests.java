package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A network reaches the host only at its own host address, with NAT on or off. */
@RequiresPrivileges
class HostConfinementTests {

    @Test
    @Timeout(60)
    void aNodeReachesAServiceOnTheHostOnlyAtItsOwnNetworksHostAddress() throws Exception {
        try (Network a = Network.builder().nat(false).node("a").build();
             Network b = Network.builder().nat(false).node("b").build();
             ServerSocket onA = new ServerSocket(7400, 50, a.hostAddress());
             ServerSocket onB = new ServerSocket(7400, 50, b.hostAddress())) {
            Node node = b.node("b");

            connect(node, b.hostAddress());
            try (Socket accepted = onB.accept()) {
                assertThat(accepted.getInetAddress()).isEqualTo(node.ipv4()); // no NAT: the node's own address
            }
            assertThatThrownBy(() -> connect(node, a.hostAddress())).isInstanceOf(IOException.class);
        }
    }

    private static void connect(Node node, InetAddress address) throws Exception {
        node.run(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, 7400), 1_000);
            }
            return null;
        });
    }
}
