package example;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** disconnect() takes a node's link down; reconnect() brings it back with its addresses and routes. */
@IsolatedNetwork
@Timeout(60)
class DisconnectTests {
    @Container
    Node db;
    @Container
    Node app;

    private void connectToDb() throws Exception {
        app.run(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(db.ipv4(), 5432), 2_000);
            }
            return null;
        });
    }

    @Test
    void aDisconnectedNodeCannotConnectUntilItIsReconnected() throws Exception {
        try (ServerSocket listener = db.run(() -> new ServerSocket(5432))) {
            connectToDb();

            app.disconnect();
            assertThatThrownBy(this::connectToDb).isInstanceOf(IOException.class)
                    .hasMessageContaining("Network is unreachable");

            app.reconnect();
            connectToDb();
        }
    }
}
