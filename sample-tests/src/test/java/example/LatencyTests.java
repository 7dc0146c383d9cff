package example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.Direction;
import dev.isonet.Fault;
import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Latency on a node's link: each packet it sends waits 50 ms ± 10 ms, drawn for each packet on its own. */
// README: latency
@IsolatedNetwork
@Timeout(60)
class LatencyTests {
    private static final int PINGS = 200;

    @Container
    Node client;
    @Container
    Node server;

    @Test
    void roundTripsTakeFiftyMillisecondsGiveOrTakeTen() throws Exception {
        DatagramSocket echo = server.run(() -> new DatagramSocket(7000));
        server.executor().submit(() -> { // sends every datagram back where it came from
            try (echo) {
                DatagramPacket packet = new DatagramPacket(new byte[8], 8);
                for (int i = 0; i < PINGS; i++) {
                    echo.receive(packet);
                    echo.send(packet);
                }
            }
            return null;
        });

        Fault latency = server.delay(Duration.ofMillis(50), Duration.ofMillis(10), Direction.EGRESS);
        double[] millis = client.run(() -> {
            try (DatagramSocket socket = new DatagramSocket()) {
                socket.setSoTimeout(1_000);
                double[] roundTrips = new double[PINGS];
                for (int i = 0; i < PINGS; i++) {
                    long start = System.nanoTime();
                    socket.send(new DatagramPacket(new byte[8], 8, server.ipv4(), 7000));
                    socket.receive(new DatagramPacket(new byte[8], 8));
                    roundTrips[i] = (System.nanoTime() - start) / 1e6;
                }
                return roundTrips;
            }
        });

        Arrays.sort(millis);
        assertThat(millis[0]).isGreaterThanOrEqualTo(40); // no reply is early: each waits 40 to 60 ms
        // A busy host (test classes run in parallel) adds a few ms to every reply, so the bounds leave room.
        assertThat(millis[PINGS * 5 / 100]).isBetween(40.0, 48.0); // 5th percentile: 41 ms in theory, 50 without jitter
        assertThat(millis[PINGS / 2]).isBetween(47.0, 58.0); // median, 50 ms
        assertThat(millis[PINGS * 90 / 100]).isBetween(55.0, 75.0); // 90th percentile, 58 ms
        assertThat(millis[PINGS * 90 / 100] - millis[PINGS / 10]).isGreaterThan(10.0); // 10th to 90th: 16 ms
        assertThat(latency).hasToString("delay 50 ms ± 10 ms egress on node server");
    }
}
// README: end
