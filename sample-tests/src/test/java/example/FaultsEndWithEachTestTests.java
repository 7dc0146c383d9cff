package example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/** With static nodes the class shares one network; faults a test makes are healed after that test. */
@IsolatedNetwork
@Timeout(60)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsEndWithEachTestTests {
    @Container
    static Node a;
    @Container
    static Node b;
    @Container
    static Node c;
    static ServerSocket onA;

    @BeforeAll
    static void listen() throws Exception {
        onA = a.run(() -> new ServerSocket(6000, 50));
    }

    @AfterAll
    static void stop() throws IOException {
        onA.close();
    }

    private static boolean connectsToA(Node from) throws Exception {
        return from.run(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(a.ipv4(), 6000), 1_000);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    @Order(1)
    void theFirstTestPartitionsTheNetwork(Network network) throws Exception {
        network.partition(List.of(a), List.of(b, c));

        assertThat(connectsToA(b)).isFalse();
        assertThat(network.faults()).hasSize(1);
    }

    @Test
    @Order(2)
    void theSecondTestFindsEverythingReachable(Network network) throws Exception {
        assertThat(network.faults()).isEmpty();
        assertThat(connectsToA(b)).isTrue();
        assertThat(connectsToA(c)).isTrue();
    }
}
