package dev.isonet.bench;

import dev.isonet.Direction;
import dev.isonet.internal.faults.DelayMechanism;
import dev.isonet.Fault;
import dev.isonet.Network;
import dev.isonet.Node;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How exact rates and delays are, and what a delayed link carries, on a 2-node network: one-way times of
 * UDP datagrams stamped with the sender's clock (both ends are on this host's clock) against the delay
 * asked for, with and without jitter; datagrams per second and TCP goodput through a delayed link; and TCP
 * goodput under rate limits against the rate. Every transfer is bounded in bytes or time, between the
 * network's own nodes.
 */
final class ConditionAccuracy {
    private static final Duration DELAY = Duration.ofMillis(50);
    private static final Duration JITTER = Duration.ofMillis(10);
    private static final long GAP_MILLIS = 2;

    private ConditionAccuracy() {}

    public static void run(PrintStream out, boolean quick) {
        int samples = quick ? 300 : 2000;
        try (Network network = Network.builder().node("a", "b").build()) {
            Node a = network.nodes().get(0);
            Node b = network.nodes().get(1);
            out.println("Delay accuracy: one-way UDP a -> b, " + samples + " datagrams " + GAP_MILLIS
                    + " ms apart; measured minus asked, ms (" + mechanism() + ")");
            double[] base = oneWay(a, b, samples / 3);
            out.println(String.format(Locale.ROOT, "  %-30s p50 %6.3f  p90 %6.3f  p99 %6.3f  max %7.3f", "no delay (the floor)",
                    at(base, .5), at(base, .9), at(base, .99), base[base.length - 1]));
            Fault delay = a.delay(DELAY, Direction.EGRESS);
            oneWay(a, b, 50); // warm
            double[] fixed = minus(oneWay(a, b, samples), DELAY.toNanos() / 1e6);
            out.println(String.format(Locale.ROOT, "  %-30s p0 %6.3f  p50 %6.3f  p90 %6.3f  p99 %6.3f  max %7.3f  lost %d",
                    delay, fixed[0], at(fixed, .5), at(fixed, .9), at(fixed, .99), last(fixed), lost(fixed)));
            Fault jitter = a.delay(DELAY, JITTER, Direction.EGRESS);
            double[] drawn = oneWay(a, b, samples);
            out.println(String.format(Locale.ROOT, "  %-30s measured minus the uniform draw's quantile: p1 %6.3f  p10 %6.3f"
                            + "  p50 %6.3f  p90 %6.3f  p99 %6.3f; range %.3f .. %.3f", jitter, uniformError(drawn, .01),
                    uniformError(drawn, .1), uniformError(drawn, .5), uniformError(drawn, .9), uniformError(drawn, .99),
                    drawn[0], last(drawn)));
            network.heal();

            out.println("Delay throughput: a -> b through a 1 ms ingress delay on b, against none");
            double free = datagramsPerSecond(a, b);
            b.delay(Duration.ofMillis(1), Direction.INGRESS);
            double held = datagramsPerSecond(a, b);
            out.println(String.format(Locale.ROOT, "  64-byte UDP datagrams, 1 s flat out: %.0f/s arrive delayed, %.0f/s"
                    + " without delay", held, free));
            network.heal();
            double tcpFree = goodput(a, b, Duration.ofSeconds(quick ? 1 : 3));
            a.delay(Duration.ofMillis(10), Direction.EGRESS);
            double tcpHeld = goodput(a, b, Duration.ofSeconds(quick ? 1 : 3));
            out.println(String.format(Locale.ROOT, "  TCP through a 10 ms egress delay on a: %.0f Mbit/s (%.0f without)",
                    tcpHeld / 1e6, tcpFree / 1e6));
            network.heal();

            out.println("Rate accuracy: TCP goodput a -> b for about 2 s, against the rate");
            for (long rate : quick ? new long[] {1_000_000, 100_000_000} : new long[] {1_000_000, 10_000_000, 100_000_000}) {
                for (Direction direction : new Direction[] {Direction.EGRESS, Direction.INGRESS}) {
                    Fault limit = (direction == Direction.EGRESS ? a : b).rate(rate, direction);
                    double measured = transfer(a, b, (int) (rate / 8 * 2));
                    out.println(String.format(Locale.ROOT, "  %-34s %9.3f Mbit/s = %5.1f%% of the rate", limit,
                            measured / 1e6, 100 * measured / rate));
                    limit.heal();
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("measuring rates and delays failed: " + e, e);
        }
    }

    private static String mechanism() {
        return DelayMechanism.get() == DelayMechanism.NETEM ? "sch_netem" : "nfnetlink_queue, held in this JVM";
    }

    /** One-way times in ms, sorted, NaN (last) for datagrams lost. */
    static double[] oneWay(Node from, Node to, int count) throws Exception {
        try (DatagramSocket out = from.run(() -> new DatagramSocket(new InetSocketAddress(from.ipv4(), 0)));
             DatagramSocket in = to.run(() -> new DatagramSocket(new InetSocketAddress(to.ipv4(), 0)))) {
            double[] times = new double[count];
            Arrays.fill(times, Double.NaN);
            CompletableFuture<Void> received = CompletableFuture.runAsync(() -> {
                byte[] buffer = new byte[12];
                try {
                    in.setSoTimeout(2_000);
                    for (int got = 0; got < count; got++) {
                        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                        in.receive(packet);
                        long now = System.nanoTime();
                        ByteBuffer data = ByteBuffer.wrap(buffer);
                        int i = data.getInt();
                        times[i] = (now - data.getLong()) / 1e6;
                    }
                } catch (SocketTimeoutException rest) {
                    // the rest were lost
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            InetSocketAddress target = new InetSocketAddress(to.ipv4(), in.getLocalPort());
            for (int i = 0; i < count; i++) {
                byte[] data = ByteBuffer.allocate(12).putInt(i).putLong(System.nanoTime()).array();
                out.send(new DatagramPacket(data, data.length, target));
                Thread.sleep(GAP_MILLIS);
            }
            received.get(30, TimeUnit.SECONDS);
            Arrays.sort(times);
            return times;
        }
    }

    private static double[] minus(double[] sorted, double millis) {
        return Arrays.stream(sorted).map(t -> t - millis).toArray();
    }

    private static int lost(double[] sorted) {
        return (int) Arrays.stream(sorted).filter(Double::isNaN).count();
    }

    private static double last(double[] sorted) {
        return sorted[sorted.length - 1 - lost(sorted)];
    }

    /** The value at quantile {@code q} of the datagrams that arrived. */
    static double at(double[] sorted, double q) {
        int arrived = sorted.length - lost(sorted);
        return sorted[Math.min(arrived - 1, Math.max(0, (int) Math.ceil(q * arrived) - 1))];
    }

    /** Measured quantile minus the delay's: uniform from delay - jitter to delay + jitter. */
    private static double uniformError(double[] sorted, double q) {
        double low = (DELAY.toNanos() - JITTER.toNanos()) / 1e6;
        return at(sorted, q) - (low + q * 2 * JITTER.toNanos() / 1e6);
    }

    /** 64-byte datagrams from {@code from} to {@code to}, sent flat out for 1 s: how many arrive per second. */
    private static double datagramsPerSecond(Node from, Node to) throws Exception {
        try (DatagramSocket out = from.run(() -> new DatagramSocket(new InetSocketAddress(from.ipv4(), 0)));
             DatagramSocket in = to.run(() -> new DatagramSocket(new InetSocketAddress(to.ipv4(), 0)))) {
            in.setReceiveBufferSize(4 << 20);
            AtomicLong arrived = new AtomicLong();
            CompletableFuture<Void> received = CompletableFuture.runAsync(() -> {
                byte[] buffer = new byte[64];
                try {
                    in.setSoTimeout(500);
                    while (true) {
                        in.receive(new DatagramPacket(buffer, buffer.length));
                        arrived.incrementAndGet();
                    }
                } catch (SocketTimeoutException quiet) {
                    // done
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            DatagramPacket packet = new DatagramPacket(new byte[64], 64, new InetSocketAddress(to.ipv4(),
                    in.getLocalPort()));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < end) {
                out.send(packet);
            }
            received.get(30, TimeUnit.SECONDS);
            return arrived.get();
        }
    }

    /** TCP from {@code from} to {@code to} for {@code time}: bits per second that arrived. */
    private static double goodput(Node from, Node to, Duration time) throws Exception {
        try (ServerSocket server = to.run(() -> new ServerSocket(0, 1, to.ipv4()));
             Socket client = from.run(() -> new Socket(to.ipv4(), server.getLocalPort()));
             Socket accepted = server.accept()) {
            CompletableFuture<long[]> done = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = accepted.getInputStream()) {
                    byte[] buffer = new byte[64 * 1024];
                    long total = 0;
                    long first = 0;
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        first = first == 0 ? System.nanoTime() : first;
                        total += n;
                    }
                    return new long[] {total, first, System.nanoTime()};
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            OutputStream out = client.getOutputStream();
            byte[] chunk = new byte[64 * 1024];
            long end = System.nanoTime() + time.toNanos();
            while (System.nanoTime() < end) {
                out.write(chunk);
            }
            client.shutdownOutput();
            long[] result = done.get(60, TimeUnit.SECONDS);
            return result[0] * 8 / ((result[2] - result[1]) / 1e9);
        }
    }

    /** {@code bytes} over TCP from {@code from} to {@code to}: bits per second, first byte written to last read. */
    static double transfer(Node from, Node to, int bytes) throws Exception {
        try (ServerSocket server = to.run(() -> new ServerSocket(0, 1, to.ipv4()));
             Socket client = from.run(() -> new Socket(to.ipv4(), server.getLocalPort()));
             Socket accepted = server.accept()) {
            CompletableFuture<Long> done = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = accepted.getInputStream()) {
                    byte[] buffer = new byte[64 * 1024];
                    while (in.read(buffer) > 0) {
                        // count nothing: the length is known
                    }
                    return System.nanoTime();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long start = System.nanoTime();
            OutputStream out = client.getOutputStream();
            byte[] chunk = new byte[16 * 1024];
            for (int sent = 0; sent < bytes; sent += chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, bytes - sent));
            }
            client.shutdownOutput();
            return bytes * 8 / ((done.get(60, TimeUnit.SECONDS) - start) / 1e9);
        }
    }
}
