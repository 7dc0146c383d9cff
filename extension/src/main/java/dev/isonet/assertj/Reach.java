package dev.isonet.assertj;

import java.time.Duration;
import java.util.Objects;

/**
 * A reachability assertion waiting for its protocol: {@link #onTcpPort}, {@link #onUdpPort} or {@link #viaIcmp}
 * runs the probe and returns to the node's assertions; {@link #within} before it sets how long the probe may take.
 *
 * <ul>
 *   <li><b>canReach</b> tries until an attempt reaches the target, at most {@link #within} (2 s by default); it
 *       fails with what the last attempt found.
 *   <li><b>cannotReach</b> passes as soon as an attempt does not reach the target, and fails if every attempt
 *       within that time does.
 *   <li>Each attempt waits at most 1 s (or what is left): a packet dropped on the way shows as "timed out".
 * </ul>
 *
 * <p>TCP needs a server listening on the target, as the user's code has it (nothing listening reads as "refused").
 * For UDP the assertion starts an echo on the target's port, for the probe's time, when the target is a node, an
 * external host or the outside and the port is free; a port already bound is expected to answer by itself. ICMP
 * sends real echo requests ({@link java.net.InetAddress#isReachable}, which needs CAP_NET_RAW: root has it).
 */
public final class Reach {
    static final Duration DEFAULT_WITHIN = Duration.ofSeconds(2);

    private final NodeAssert node;
    private final boolean wanted;
    private final Target target;
    private Duration within = DEFAULT_WITHIN;

    Reach(NodeAssert node, boolean wanted, Target target) {
        this.node = node;
        this.wanted = wanted;
        this.target = target;
    }

    /** How long the probe may take (2 s by default); must come before the protocol. */
    public Reach within(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("within needs a positive duration, not " + timeout);
        }
        this.within = timeout;
        return this;
    }

    /** Probes with a TCP connect to {@code port}. */
    public NodeAssert onTcpPort(int port) {
        return node.check(wanted, target, Protocol.tcp(port), within);
    }

    /** Probes with a UDP datagram to {@code port} and waits for it to be echoed. */
    public NodeAssert onUdpPort(int port) {
        return node.check(wanted, target, Protocol.udp(port), within);
    }

    /** Probes with ICMP echo requests. */
    public NodeAssert viaIcmp() {
        return node.check(wanted, target, Protocol.icmp(), within);
    }
}
