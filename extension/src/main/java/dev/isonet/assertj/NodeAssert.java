package dev.isonet.assertj;

import dev.isonet.ExternalHost;
import dev.isonet.Node;
import dev.isonet.Outside;
import dev.isonet.internal.diagnostics.NetworkAccess;
import dev.isonet.internal.netlink.SockDiag;
import java.net.InetAddress;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions about one node: {@link #canReach} and {@link #cannotReach} another node, an external host, the
 * outside or an address (then {@link Reach#onTcpPort}, {@link Reach#onUdpPort} or {@link Reach#viaIcmp} runs
 * the probe), and {@link #isListeningOn}. Get one from {@link IsonetAssertions#assertThat(Node)}.
 *
 * <pre>{@code
 * assertThat(client).canReach(server).onTcpPort(8080)
 *         .cannotReach(network.outside()).within(Duration.ofMillis(500)).viaIcmp();
 * }</pre>
 *
 * <p>The probes run on threads of the node, so they see its addresses, routes and faults. A
 * failure says what the probe found (refused, timed out, unreachable, reset) and lists the faults active on
 * the network. A probe that cannot run at all (the node closed meanwhile, say) counts as not reaching.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class NodeAssert extends AbstractAssert<NodeAssert, Node> {

    NodeAssert(Node node) {
        super(node, NodeAssert.class);
    }

    /**
     * The node should reach another node: say how with {@link Reach#onTcpPort}, {@link Reach#onUdpPort} or
     * {@link Reach#viaIcmp}, which run the probe. The probe goes to the target's IPv4 address.
     *
     * <pre>{@code
     * assertThat(client).canReach(server).onTcpPort(8080);
     * }</pre>
     *
     * @param target the node to reach
     * @return the assertion, waiting for its protocol
     * @throws NullPointerException if {@code target} is null
     * @throws dev.isonet.NodeClosedException if {@code target} is closed
     */
    public Reach canReach(Node target) {
        return new Reach(this, true, Target.of(target));
    }

    /**
     * The node should reach the external host {@code target} (with NAT on, masqueraded), at its address.
     *
     * <pre>{@code
     * assertThat(app).canReach(upstream).viaIcmp();
     * }</pre>
     *
     * @param target the external host to reach
     * @return the assertion, waiting for its protocol
     * @throws NullPointerException if {@code target} is null
     * @throws dev.isonet.NodeClosedException if {@code target} is closed
     */
    public Reach canReach(ExternalHost target) {
        return new Reach(this, true, Target.of(target));
    }

    /**
     * The node should reach the outside: probes go to the host, at the network's host address
     * ({@link dev.isonet.Network#hostAddress()}).
     *
     * <pre>{@code
     * assertThat(app).canReach(network.outside()).viaIcmp();
     * }</pre>
     *
     * @param target the outside of a network, as {@link dev.isonet.Network#outside()} gives it
     * @return the assertion, waiting for its protocol
     * @throws NullPointerException if {@code target} is null
     */
    public Reach canReach(Outside target) {
        return new Reach(this, true, Target.of(target));
    }

    /**
     * The node should reach {@code address}: a node's (IPv4 or IPv6), the network's host address, or one beyond
     * the network. Messages name the node when the address is a node's.
     *
     * <pre>{@code
     * assertThat(client).canReach(server.ipv6()).onTcpPort(8080);
     * }</pre>
     *
     * @param address the address to reach
     * @return the assertion, waiting for its protocol
     * @throws AssertionError if the node is null
     * @throws NullPointerException if {@code address} is null
     */
    public Reach canReach(InetAddress address) {
        isNotNull();
        return new Reach(this, true, Target.of(address, actual.network()));
    }

    /**
     * The node should not reach another node: say how with {@link Reach#onTcpPort}, {@link Reach#onUdpPort} or
     * {@link Reach#viaIcmp}, which run the probe. It passes as soon as one attempt does not reach the target.
     *
     * <pre>{@code
     * network.isolate(server);
     * assertThat(client).cannotReach(server).viaIcmp();
     * }</pre>
     *
     * @param target the node that should be out of reach
     * @return the assertion, waiting for its protocol
     * @throws NullPointerException if {@code target} is null
     * @throws dev.isonet.NodeClosedException if {@code target} is closed
     */
    public Reach cannotReach(Node target) {
        return new Reach(this, false, Target.of(target));
    }

    /**
     * The node should not reach the external host {@code target}, at its address.
     *
     * @param target the external host that should be out of reach
     * @return the assertion, waiting for its protocol
     * @throws NullPointerException if {@code target} is null
     * @throws dev.isonet.NodeClosedException if {@code target} is closed
     */
    public Reach cannotReach(ExternalHost target) {
        return new Reach(this, false, Target.of(target));
    }

    /**
     * The node should not reach the outside: probes go to the host, at the network's host address
     * ({@link dev.isonet.Network#hostAddress()}).
     *
     * <pre>{@code
     * network.block(app, network.outside());
     * assertThat(app).cannotReach(network.outside()).viaIcmp();
     * }</pre>
     *
     * @param target the outside of a network, as {@link dev.isonet.Network#outside()} gives it
     * @return the assertion, waiting for its protocol
     * @throws NullPointerException if {@code target} is null
     */
    public Reach cannotReach(Outside target) {
        return new Reach(this, false, Target.of(target));
    }

    /**
     * The node should not reach {@code address}: a node's (IPv4 or IPv6), the network's host address, or one
     * beyond the network.
     *
     * @param address the address that should be out of reach
     * @return the assertion, waiting for its protocol
     * @throws AssertionError if the node is null
     * @throws NullPointerException if {@code address} is null
     */
    public Reach cannotReach(InetAddress address) {
        isNotNull();
        return new Reach(this, false, Target.of(address, actual.network()));
    }

    /**
     * A socket in the node listens on TCP {@code port} (any address), or is bound to UDP {@code port}: read once,
     * now, through sock_diag, as {@code ss -tuln} does (to wait for it, use {@link Node#awaitListening(int)}).
     * It never connects, so the server sees no probe. A failure lists the ports that were open.
     *
     * <pre>{@code
     * server.awaitListening(8080);
     * assertThat(server).isListeningOn(8080);
     * }</pre>
     *
     * @param port the port, 1 to 65535
     * @return this assertion, for more
     * @throws AssertionError if the node is null, or nothing in it listens on TCP {@code port} nor is bound to
     *     UDP {@code port}
     * @throws IllegalArgumentException if {@code port} is not 1 to 65535
     * @throws dev.isonet.NodeClosedException if the node is closed
     */
    public NodeAssert isListeningOn(int port) {
        isNotNull();
        Protocol.tcp(port); // checks the port
        SortedSet<Integer> tcp = new TreeSet<>();
        SortedSet<Integer> udp = new TreeSet<>();
        try (SockDiag diag = NetworkAccess.of(actual.network()).namespace(actual).sockDiag()) {
            diag.inetList(SockDiag.IPPROTO_TCP, SockDiag.states(SockDiag.TCP_LISTEN))
                    .forEach(socket -> tcp.add(socket.sourcePort()));
            diag.inetList(SockDiag.IPPROTO_UDP, SockDiag.ALL_STATES).stream().filter(s -> s.sourcePort() != 0)
                    .forEach(socket -> udp.add(socket.sourcePort()));
        }
        if (!tcp.contains(port) && !udp.contains(port)) {
            failWithMessage("%s", "Expecting " + describe(actual) + " to listen on TCP port " + port + " or be bound"
                    + " to UDP port " + port + ", but it was not: TCP listening on " + (tcp.isEmpty() ? "no port"
                            : tcp.toString()) + ", UDP bound to " + (udp.isEmpty() ? "no port" : udp.toString()));
        }
        return this;
    }

    /** Runs a probe of {@link Reach} and fails with its message. */
    NodeAssert check(boolean wanted, Target target, Protocol protocol, java.time.Duration within) {
        isNotNull();
        AutoCloseable echo = protocol.kind() == Protocol.Kind.UDP ? target.startUdpEcho(protocol.port()) : null;
        try {
            Probe.Outcome outcome = Probe.until(wanted, actual, target, protocol, within);
            if (outcome.reached() != wanted) {
                failWithMessage("%s", "Expecting " + describe(actual) + (wanted ? " to reach " : " not to reach ")
                        + target.description() + " " + protocol + " within "
                        + dev.isonet.internal.process.Await.seconds(within) + ", but it did"
                        + (wanted ? " not: " : ": ") + outcome.what() + ".\n" + Faults.line(actual.network()));
            }
        } finally {
            if (echo != null) {
                try {
                    echo.close();
                } catch (Exception e) {
                    // a closed echo socket: nothing left to do
                }
            }
        }
        return this;
    }

    static String describe(Node node) {
        return "node '" + node.name() + "' (" + node.ipv4().getHostAddress() + ")";
    }
}
