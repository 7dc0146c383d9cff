package example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.Direction;
import dev.isonet.Fault;
import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A rate limit on a node's link: a bulk TCP transfer gets the rate, less its headers. */
// README: rate
@IsolatedNetwork
@Timeout(60)
class RateLimitTests {
    private static final int BYTES = 250_000; // 2 s at 1 Mbit/s

    @Container
    Node client;
    @Container
    Node server;

    @Test
    void aOneMegabitLimitGivesABulkTransferOneMegabitASecond() throws Exception {
        ServerSocket listener = server.run(() -> new ServerSocket(8000));
        Future<Long> done = server.executor().submit(() -> { // reads everything, then notes the time
            try (listener; Socket peer = listener.accept(); InputStream in = peer.getInputStream()) {
                assertThat(in.transferTo(OutputStream.nullOutputStream())).isEqualTo(BYTES);
                return System.nanoTime();
            }
        });

        Fault limit = client.rate(1_000_000, Direction.EGRESS); // 1 Mbit/s for what the client sends
        long start = System.nanoTime();
        client.run(() -> {
            try (Socket socket = new Socket(server.ipv4(), 8000)) {
                socket.getOutputStream().write(new byte[BYTES]);
            }
            return null;
        });

        double bitsPerSecond = BYTES * 8 / ((done.get(30, TimeUnit.SECONDS) - start) / 1e9);
        assertThat(bitsPerSecond).isBetween(0.8e6, 1.2e6); // ±20%; TCP/IP headers take about 4.5% of the rate
        assertThat(limit).hasToString("rate 1 Mbit/s egress on node client");
    }
}
// README: end
