package dev.isonet.assertj;

import dev.isonet.ExternalHost;
import dev.isonet.Node;
import dev.isonet.Outside;
import dev.isonet.internal.diagnostics.NetworkAccess;
import dev.isonet.internal.netlink.SockDiag;
import java.net.InetAddress;
import java.util.SortedSet;
import java.util.TreeSet;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions about one node: {@link #canReach} and {@link #cannotReach} another node, an external host, the
 * outside or an address (then {@link Reach#onTcpPort}, {@link Reach#onUdpPort} or {@link Reach#viaIcmp} runs
 * the probe), and {@link #isListeningOn}. Get one from {@link IsonetAssertions#assertThat(Node)}.
 */
public final class NodeAssert extends AbstractAssert<NodeAssert, Node> {

    NodeAssert(Node node) {
        super(node, NodeAssert.class);
    }

    /** The node should reach {@code target}: say how with {@link Reach#onTcpPort} and kin, which probe. */
    public Reach canReach(Node target) {
        return new Reach(this, true, Target.of(target));
    }

    /** The node should reach the external host {@code target} (with NAT on, masqueraded). */
    public Reach canReach(ExternalHost target) {
        return new Reach(this, true, Target.of(target));
    }

    /** The node should reach the outside: probes go to the host, at the network's host address. */
    public Reach canReach(Outside target) {
        return new Reach(this, true, Target.of(target));
    }

    /** The node should reach {@code address}: a node's, the host's, or one beyond the network. */
    public Reach canReach(InetAddress address) {
        isNotNull();
        return new Reach(this, true, Target.of(address, actual.network()));
    }

    /** The node should not reach {@code target}: say how with {@link Reach#onTcpPort} and kin. */
    public Reach cannotReach(Node target) {
        return new Reach(this, false, Target.of(target));
    }

    /** The node should not reach the external host {@code target}. */
    public Reach cannotReach(ExternalHost target) {
        return new Reach(this, false, Target.of(target));
    }

    /** The node should not reach the outside: probes go to the host, at the network's host address. */
    public Reach cannotReach(Outside target) {
        return new Reach(this, false, Target.of(target));
    }

    /** The node should not reach {@code address}. */
    public Reach cannotReach(InetAddress address) {
        isNotNull();
        return new Reach(this, false, Target.of(address, actual.network()));
    }

    /**
     * A socket in the node listens on TCP {@code port} (any address), or is bound to UDP {@code port}: read once,
     * now, through sock_diag, as {@code ss -tuln} does (to wait for it, use {@link Node#awaitListening(int)}).
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
