package example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.ExternalHost;
import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** "The internet is down": network.outside() is the host and everything beyond the network's uplink. */
@IsolatedNetwork
@Timeout(60)
class InternetDownTests {
    ExternalHost api;
    ServerSocket listener;

    @Container
    Node app;
    @Container
    Node worker;

    @BeforeEach
    void startApi() throws Exception {
        api = ExternalHost.create("api", "198.51.100.10/24");
        listener = api.run(() -> new ServerSocket(443, 50));
    }

    @AfterEach
    void stopApi() throws IOException {
        if (listener != null) {
            listener.close();
        }
        if (api != null) {
            api.close();
        }
    }

    private boolean reachesApi(Node node) throws Exception {
        return node.run(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(api.address(), 443), 1_000);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    void noNodeReachesTheOutsideWhileItIsDisconnected(Network network) throws Exception {
        assertThat(reachesApi(app)).isTrue();

        network.outside().disconnect();
        assertThat(reachesApi(app)).isFalse();
        assertThat(reachesApi(worker)).isFalse();

        network.heal();
        assertThat(reachesApi(app)).isTrue();
    }

    @Test
    void oneNodeCutFromTheOutsideWhileTheOtherStillReachesIt(Network network) throws Exception {
        network.block(app, network.outside());

        assertThat(reachesApi(app)).isFalse();
        assertThat(reachesApi(worker)).isTrue();

        network.heal();
        assertThat(reachesApi(app)).isTrue();
    }
}
