package example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isonet.ExternalHost;
import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A fake "outside world": a host in 203.0.113.0/24 (a documentation range) beyond this machine's host. */
// README: nat
@IsolatedNetwork
@Timeout(30)
class NatTests {
    ExternalHost upstream;

    @Container
    Node app;

    @BeforeEach
    void startUpstream() {
        upstream = ExternalHost.create("upstream", "203.0.113.10/24");
    }

    @AfterEach
    void stopUpstream() {
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void aNodeReachesTheOutsideWorldMasqueraded() throws Exception {
        ServerSocket listener = upstream.run(() -> new ServerSocket(80));
        Future<String> seen = upstream.executor().submit(() -> {
            try (listener; Socket peer = listener.accept()) {
                return peer.getInetAddress().getHostAddress();
            }
        });

        app.run(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(upstream.address(), 80), 5_000);
            }
            return null;
        });

        String source = seen.get(5, TimeUnit.SECONDS);
        assertThat(source).isNotEqualTo(app.ipv4().getHostAddress());
        assertThat(source).isEqualTo(upstream.hostAddress().getHostAddress());
    }
// README: end

    @Test
    @IsolatedNetwork(nat = false)
    void withoutNatANodeCannotReachBeyondTheHost() throws Exception {
        assertThatThrownBy(() -> app.run(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(upstream.address(), 80), 1_000);
            }
            return null;
        })).isInstanceOf(IOException.class);
    }
}
