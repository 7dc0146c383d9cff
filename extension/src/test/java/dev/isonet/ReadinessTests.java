package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Readiness waits: listening read through sock_diag, reachability by connecting, and what they say on timeout. */
@RequiresPrivileges
@Timeout(60)
class ReadinessTests {
    private static Network network;
    private static Node server;
    private static Node client;

    @BeforeAll
    static void network() {
        network = Network.builder().subnet("10.218.142.0/24").nat(false).node("server", "client").build();
        server = network.node("server");
        client = network.node("client");
    }

    @AfterAll
    static void close() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    void awaitListeningReturnsSoonAfterATcpServerListensOrAUdpSocketIsBound() throws Exception {
        AtomicLong listeningSince = new AtomicLong();
        CompletableFuture<ServerSocket> late = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(300);
                ServerSocket socket = server.run(() -> new ServerSocket(7001));
                listeningSince.set(System.nanoTime());
                return socket;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        server.awaitListening(7001, Duration.ofSeconds(10));
        long returnedAt = System.nanoTime();
        try (ServerSocket socket = late.get()) {
            // It may notice the listener before run() even returned to the other thread: that counts as 0.
            long noticedAfter = Math.max(0, returnedAt - listeningSince.get());
            System.out.printf("awaitListening returned %.1f ms after the server listened%n", noticedAfter / 1e6);
            assertThat(Duration.ofNanos(noticedAfter)).as("noticed within a poll interval or so")
                    .isLessThan(Duration.ofMillis(500));
        }

        try (DatagramSocket udp = server.run(() -> new DatagramSocket(new InetSocketAddress(7002)))) {
            server.awaitListening(7002, Duration.ofSeconds(5));
        }
    }

    @Test
    void awaitListeningSaysWhatItLookedForForHowLongAndWhatWasOpen() throws Exception {
        try (ServerSocket other = server.run(() -> new ServerSocket(6379))) {
            server.start("sh", "-c", "echo config error: port 8080 taken >&2; exit 1").waitFor();

            assertThatThrownBy(() -> server.awaitListening(8080, Duration.ofMillis(300)))
                    .isInstanceOf(ConditionTimeoutException.class)
                    .hasMessageStartingWith("nothing in node 'server' listened on TCP port 8080 or was bound to UDP port"
                            + " 8080 within 300 ms (looked ")
                    .hasMessageContaining(" times through sock_diag, every 10 ms); at the last look: TCP listening on"
                            + " [6379], UDP bound to no port; processes of node 'server':\n- 'sh -c echo config error:"
                            + " port 8080 taken >&2; exit 1' (pid ")
                    .hasMessageEndingWith(") in node 'server', exited with code 1:\n  stderr| config error: port 8080 taken");
        }
    }

    @Test
    void awaitReachableConnectsFromOneNodeToAnother() throws Exception {
        try (ServerSocket listener = server.run(() -> new ServerSocket(7003, 50))) {
            network.awaitReachable(client, server, 7003, Duration.ofSeconds(5));
        }
        assertThatThrownBy(() -> network.awaitReachable(client, server, 7004, Duration.ofMillis(300)))
                .isInstanceOf(ConditionTimeoutException.class)
                .hasMessageStartingWith("node 'client' could not open a TCP connection to node 'server' ("
                        + server.ipv4().getHostAddress() + ":7004) within 300 ms (")
                .hasMessageContaining(" connects, each at most 1000 ms); the last one: java.net.ConnectException:"
                        + " Connection refused");
        assertThatThrownBy(() -> server.awaitListening(0)).hasMessage("port 0 must be 1 to 65535");
    }
}
