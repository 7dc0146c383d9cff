package dev.isonet.assertj;

import dev.isonet.Node;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Attempts from a node's thread to reach a target, each bounded in time, and what each one found: reached, or
 * refused, timed out, unreachable, reset.
 */
final class Probe {
    /** No single attempt waits longer: a dropped packet is "timed out" after this. */
    static final Duration ATTEMPT = Duration.ofSeconds(1);
    private static final long PAUSE_MILLIS = 50;
    private static final AtomicLong PROBES = new AtomicLong();

    private Probe() {}

    /** What one attempt found: {@code reached}, and the words for it ("connected", "refused", ...). */
    record Outcome(boolean reached, String what) {}

    /**
     * Tries until an attempt's outcome is {@code wanted} (reached or not) or {@code within} has passed, and returns
     * the last outcome. Each attempt waits at most {@link #ATTEMPT}, or what is left.
     */
    static Outcome until(boolean wanted, Node from, Target to, Protocol protocol, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            Outcome outcome = once(from, to, protocol, (int) Math.min(ATTEMPT.toMillis(), left));
            if (outcome.reached() == wanted || System.nanoTime() + PAUSE_MILLIS * 1_000_000 >= deadline) {
                return outcome;
            }
            try {
                Thread.sleep(PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return outcome;
            }
        }
    }

    /** One attempt from a thread of {@code from}, waiting at most {@code millis}. */
    static Outcome once(Node from, Target to, Protocol protocol, int millis) {
        try {
            return from.run(() -> switch (protocol.kind()) {
                case TCP -> tcp(to, protocol.port(), millis);
                case UDP -> udp(to, protocol.port(), millis);
                case ICMP -> icmp(to, millis);
            });
        } catch (dev.isonet.NodeClosedException e) {
            throw e; // a closed node proves nothing either way: never let cannotReach pass on it
        } catch (Exception e) {
            return new Outcome(false, "failed (" + e + ")");
        }
    }

    private static Outcome tcp(Target to, int port, int millis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(to.address(), port), millis);
            return new Outcome(true, "connected");
        } catch (IOException e) {
            return failed(e);
        }
    }

    private static Outcome udp(Target to, int port, int millis) {
        byte[] probe = ("isonet-probe-" + PROBES.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(new InetSocketAddress(to.address(), port));
            socket.setSoTimeout(millis);
            socket.send(new DatagramPacket(probe, probe.length));
            long deadline = System.nanoTime() + millis * 1_000_000L;
            byte[] buffer = new byte[2048];
            while (true) {
                DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
                socket.receive(answer);
                if (answer.getLength() == probe.length && new String(buffer, 0, probe.length,
                        StandardCharsets.US_ASCII).equals(new String(probe, StandardCharsets.US_ASCII))) {
                    return new Outcome(true, "the echo answered");
                }
                int left = (int) ((deadline - System.nanoTime()) / 1_000_000); // an answer to an earlier probe
                if (left <= 0) {
                    return new Outcome(false, "timed out");
                }
                socket.setSoTimeout(left);
            }
        } catch (PortUnreachableException e) {
            return new Outcome(false, "refused (ICMP port unreachable)");
        } catch (IOException e) {
            return failed(e);
        }
    }

    private static Outcome icmp(Target to, int millis) {
        try {
            return to.address().isReachable(millis) ? new Outcome(true, "an echo reply came")
                    : new Outcome(false, "timed out");
        } catch (IOException e) {
            return failed(e);
        }
    }

    /** The words for a failed attempt. */
    static Outcome failed(IOException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof SocketTimeoutException || message.contains("timed out")) {
            return new Outcome(false, "timed out");
        }
        if (e instanceof NoRouteToHostException || message.contains("unreachable")) {
            return new Outcome(false, "unreachable (" + message + ")");
        }
        if (e instanceof ConnectException && message.contains("refused")) {
            return new Outcome(false, "refused");
        }
        if (e instanceof SocketException && message.contains("reset")) {
            return new Outcome(false, "reset (" + message + ")");
        }
        return new Outcome(false, "failed (" + e + ")");
    }
}
