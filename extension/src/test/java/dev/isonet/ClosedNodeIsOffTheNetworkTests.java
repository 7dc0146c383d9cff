package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A closed node is off the network at once, whatever still runs inside it: here a server thread that a
 * library started inside the node and that binds its port again whenever its socket is aborted, as real
 * servers do. Before the fix it stayed reachable at its address after close().
 */
@RequiresPrivileges
class ClosedNodeIsOffTheNetworkTests {

    @Test
    @Timeout(60)
    void aServerThatSurvivesItsNodesCloseIsUnreachable() throws Exception {
        try (Network network = Network.builder().nat(false).node("server", "client").build()) {
            Node server = network.node("server");
            Node client = network.node("client");
            AtomicBoolean stop = new AtomicBoolean();
            java.util.concurrent.atomic.AtomicReference<ServerSocket> current = new java.util.concurrent.atomic.AtomicReference<>();
            CountDownLatch listening = new CountDownLatch(1);
            Thread stubborn = server.run(() -> {
                Thread thread = new Thread(() -> {
                    while (!stop.get()) {
                        try (ServerSocket listener = new ServerSocket(7500)) {
                            current.set(listener);
                            listening.countDown();
                            while (!stop.get()) {
                                try (Socket peer = listener.accept()) {
                                    peer.getOutputStream().write("hi\n".getBytes(StandardCharsets.UTF_8));
                                }
                            }
                        } catch (IOException e) {
                            sleep(); // aborted: bind again, like a server that restarts its listener
                        }
                    }
                }, "stubborn-server");
                thread.setDaemon(true);
                thread.start();
                return thread;
            });
            try {
                assertThat(listening.await(5, TimeUnit.SECONDS)).isTrue();
                connect(client, server);

                server.close();
                Thread.sleep(200); // the stubborn thread has bound its port again by now

                assertThat(server.threadsInside()).as("the server thread still runs inside").isNotEmpty();
                assertThatThrownBy(() -> connect(client, server)).as("yet the node is off the network")
                        .isInstanceOf(IOException.class);
            } finally {
                stop.set(true);
                ServerSocket listener = current.get();
                if (listener != null) {
                    listener.close(); // wakes its accept(): interrupts do not
                }
                stubborn.join(5_000);
                assertThat(stubborn.isAlive()).as("the test's own stray thread ended").isFalse();
            }
        }
    }

    private static void connect(Node from, Node to) throws Exception {
        from.run(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(to.ipv4(), 7500), 1_000);
            }
            return null;
        });
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
