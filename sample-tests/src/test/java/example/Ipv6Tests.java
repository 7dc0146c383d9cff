package example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@IsolatedNetwork
@Timeout(30)
class Ipv6Tests {
    @Container
    Node alpha;
    @Container
    Node beta;

    @Test
    void nodesTalkOverIpv6() throws Exception {
        ServerSocket listener = alpha.run(() -> new ServerSocket(9000, 1, alpha.ipv6()));
        Future<String> peer = alpha.executor().submit(() -> {
            try (listener; Socket accepted = listener.accept()) {
                return accepted.getInetAddress().getHostAddress();
            }
        });

        beta.run(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(alpha.ipv6(), 9000), 5_000);
            }
            return null;
        });

        assertThat(alpha.ipv6()).isInstanceOf(Inet6Address.class);
        assertThat(peer.get(5, TimeUnit.SECONDS)).isEqualTo(beta.ipv6().getHostAddress());
    }
}
