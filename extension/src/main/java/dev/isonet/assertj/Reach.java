package dev.isonet.assertj;

import java.time.Duration;
import java.util.Objects;
import org.apiguardian.api.API;

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
 *
 * <pre>{@code
 * assertThat(client).canReach(server).within(Duration.ofSeconds(5)).onUdpPort(9000);
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
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

    /**
     * How long the probe may take (2 s by default); must come before the protocol.
     *
     * @param timeout how long to keep trying; positive
     * @return this assertion, still waiting for its protocol
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public Reach within(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("within needs a positive duration, not " + timeout);
        }
        this.within = timeout;
        return this;
    }

    /**
     * Probes with TCP connects to {@code port}, and checks the outcome. A server must listen there: with none,
     * the probe reads "refused", which is not reaching.
     *
     * @param port the port, 1 to 65535
     * @return the node's assertions, for more
     * @throws AssertionError if the node is null, or the outcome is not the one wanted within the time
     * @throws IllegalArgumentException if {@code port} is not 1 to 65535
     */
    public NodeAssert onTcpPort(int port) {
        return node.check(wanted, target, Protocol.tcp(port), within);
    }

    /**
     * Probes with UDP datagrams to {@code port}, each reached when it comes back echoed, and checks the outcome.
     * When the port is free on a target Isonet knows, the assertion runs the echo there for the probe's time.
     *
     * @param port the port, 1 to 65535
     * @return the node's assertions, for more
     * @throws AssertionError if the node is null, or the outcome is not the one wanted within the time
     * @throws IllegalArgumentException if {@code port} is not 1 to 65535
     */
    public NodeAssert onUdpPort(int port) {
        return node.check(wanted, target, Protocol.udp(port), within);
    }

    /**
     * Probes with ICMP echo requests, and checks the outcome.
     *
     * @return the node's assertions, for more
     * @throws AssertionError if the node is null, or the outcome is not the one wanted within the time
     */
    public NodeAssert viaIcmp() {
        return node.check(wanted, target, Protocol.icmp(), within);
    }
}
