package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cuts toward external hosts go by the host's address, in the router: the node's address before masquerade,
 * and replies after. Two external hosts in small subnets of 198.51.100.0/24, one network from 10.219.0.0/16.
 */
@Timeout(60)
class FaultExternalHostTests {
    private static final int TCP_PORT = 7401;
    private static final int UDP_PORT = 7402;

    private Network network;
    private Node a;
    private Node b;
    private ExternalHost x;
    private ExternalHost y;
    private ServerSocket xListener;
    private ServerSocket yListener;
    private DatagramSocket xDatagrams;

    @BeforeEach
    void build() throws Exception {
        network = Network.builder().pool("10.219.0.0/16").node("a", "b").build();
        a = network.node("a");
        b = network.node("b");
        x = ExternalHost.create("x", "198.51.100.217/29");
        y = ExternalHost.create("y", "198.51.100.225/29");
        xListener = x.run(() -> new ServerSocket(TCP_PORT));
        yListener = y.run(() -> new ServerSocket(TCP_PORT));
        xDatagrams = x.run(() -> new DatagramSocket(UDP_PORT));
    }

    @AfterEach
    void close() throws IOException {
        for (AutoCloseable closeable : new AutoCloseable[] {xDatagrams, xListener, yListener}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        if (network != null) {
            network.close();
        }
        if (x != null) {
            x.close();
        }
        if (y != null) {
            y.close();
        }
    }

    private static boolean connects(Node from, ExternalHost to) throws Exception {
        return from.run(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(to.address(), TCP_PORT), 700);
                return true;
            } catch (IOException timedOut) {
                return false;
            }
        });
    }

    /** Sends a few datagrams from the node to x; true if one arrived. */
    private boolean datagramReachesX(Node from) throws Exception {
        DatagramSocket sender = from.run(DatagramSocket::new);
        try (sender) {
            byte[] token = ("from " + from.name()).getBytes(StandardCharsets.US_ASCII);
            xDatagrams.setSoTimeout(300);
            for (int i = 0; i < 3; i++) {
                sender.send(new DatagramPacket(token, token.length, x.address(), UDP_PORT));
                try {
                    byte[] buffer = new byte[64];
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    xDatagrams.receive(packet);
                    return true;
                } catch (SocketTimeoutException nothing) {
                    // again
                }
            }
            return false;
        }
    }

    @Test
    void aBlockTowardAnExternalHostCutsThatHostForThatNodeOnly() throws Exception {
        assertThat(connects(a, x)).isTrue();

        Fault fault = network.block(a, x);

        assertThat(fault).hasToString("block a -> x");
        assertThat(connects(a, x)).isFalse();
        assertThat(datagramReachesX(a)).isFalse();
        assertThat(connects(a, y)).isTrue();
        assertThat(connects(b, x)).isTrue();
        fault.heal();
        assertThat(connects(a, x)).isTrue();
    }

    @Test
    void aBlockFromAnExternalHostDropsItsRepliesOnly() throws Exception {
        Fault fault = network.block(x, a);

        assertThat(connects(a, x)).as("the handshake needs x's answer").isFalse();
        assertThat(datagramReachesX(a)).as("a's datagrams still get there").isTrue();
        assertThat(connects(b, x)).isTrue();
        fault.heal();
        assertThat(connects(a, x)).isTrue();
    }

    @Test
    void anExternalHostCanBeInAPartition() throws Exception {
        Fault fault = network.partition(List.of(a, y), List.of(b, x));

        assertThat(fault).hasToString("partition [a, y] | [b, x]");
        assertThat(connects(a, x)).isFalse();
        assertThat(connects(b, y)).isFalse();
        assertThat(connects(a, y)).isTrue();
        assertThat(connects(b, x)).isTrue();
    }
}
