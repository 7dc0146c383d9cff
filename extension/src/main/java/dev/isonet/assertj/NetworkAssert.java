package dev.isonet.assertj;

import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.internal.process.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions about which nodes of a network reach which: every ordered pair of its nodes is probed at once, from
 * the first node to the second, and a failure prints the whole matrix as a table (nodes in address order), with
 * the pairs that differ marked. The protocol is ICMP unless {@link #onTcpPort} or {@link #onUdpPort} says otherwise (see {@link Reach}
 * for what each needs); each pair is tried until it is as expected or {@link #within} (2 s by default) has passed.
 * Set the protocol and the time first; {@link #isFullyConnected}, {@link #isPartitionedAs} and
 * {@link #hasReachability} run the probes.
 *
 * <pre>{@code
 * network.partition(List.of(a, b), List.of(c));
 * assertThat(network).onUdpPort(9000).isPartitionedAs(List.of(a, b), List.of(c));
 * }</pre>
 *
 * <p>A failure reads like this (its first line wrapped here):
 *
 * <pre>{@code
 * Expecting the nodes of network 10.0.0.0/24 to be fully connected via ICMP within 2 s,
 *   but 4 of 6 pairs differ (marked *):
 * from \ to  a      b      c
 * a          -      yes    no*
 * b          yes    -      no*
 * c          no*    no*    -
 * a -> c: expected to reach, but it did not: timed out
 * b -> c: expected to reach, but it did not: timed out
 * c -> a: expected to reach, but it did not: timed out
 * c -> b: expected to reach, but it did not: timed out
 * Faults active on network 10.0.0.0/24: partition [a, b] | [c]
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class NetworkAssert extends AbstractAssert<NetworkAssert, Network> {
    private Protocol protocol = Protocol.icmp();
    private Duration within = Reach.DEFAULT_WITHIN;

    NetworkAssert(Network network) {
        super(network, NetworkAssert.class);
    }

    /**
     * Probes with TCP connects to {@code port}: a server must listen there on every node probed (with none, a
     * pair reads "refused", which is not reaching).
     *
     * @param port the port, 1 to 65535
     * @return this assertion
     * @throws IllegalArgumentException if {@code port} is not 1 to 65535
     */
    public NetworkAssert onTcpPort(int port) {
        protocol = Protocol.tcp(port);
        return this;
    }

    /**
     * Probes with UDP datagrams to {@code port}, echoed by each node: the assertion starts the echoes, for the
     * probes' time, on the nodes where the port is free; a node that has the port bound already must echo by
     * itself.
     *
     * @param port the port, 1 to 65535
     * @return this assertion
     * @throws IllegalArgumentException if {@code port} is not 1 to 65535
     */
    public NetworkAssert onUdpPort(int port) {
        protocol = Protocol.udp(port);
        return this;
    }

    /**
     * Probes with ICMP echo requests (the default).
     *
     * @return this assertion
     */
    public NetworkAssert viaIcmp() {
        protocol = Protocol.icmp();
        return this;
    }

    /**
     * How long each pair may take to be as expected (2 s by default). The pairs are probed at the same time.
     *
     * @param timeout how long to keep trying each pair; positive
     * @return this assertion
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public NetworkAssert within(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("within needs a positive duration, not " + timeout);
        }
        within = timeout;
        return this;
    }

    /**
     * Every node reaches every other node, in both directions.
     *
     * <pre>{@code
     * assertThat(network).isFullyConnected();
     * }</pre>
     *
     * @return this assertion, for more
     * @throws AssertionError if the network is null, or a pair does not reach within the time; the message has
     *     the whole table
     */
    public NetworkAssert isFullyConnected() {
        return matches("to be fully connected", (from, to) -> true);
    }

    /**
     * Nodes in the same group reach each other, nodes in different groups do not; nodes in no group are not
     * probed.
     *
     * <pre>{@code
     * Partitions.halves(List.of(a, b, c, d));
     * assertThat(network).isPartitionedAs(List.of(a, b), List.of(c, d));
     * }</pre>
     *
     * @param groups nodes of the network, in groups
     * @return this assertion, for more
     * @throws AssertionError if the network is null, or a pair is not as expected within the time; the message
     *     has the whole table
     * @throws IllegalArgumentException if a node is in two groups
     * @throws NullPointerException if {@code groups} or one of them is null
     */
    @SafeVarargs
    public final NetworkAssert isPartitionedAs(Collection<Node>... groups) {
        Map<Node, Integer> groupOf = new IdentityHashMap<>();
        for (int i = 0; i < groups.length; i++) {
            for (Node node : groups[i]) {
                if (groupOf.putIfAbsent(node, i) != null) {
                    throw new IllegalArgumentException("node '" + node.name() + "' is in two groups");
                }
            }
        }
        String shape = java.util.Arrays.stream(groups).map(g -> g.stream().map(Node::name).toList().toString())
                .collect(Collectors.joining(" | "));
        return matches("to be partitioned as " + shape, groupOf.keySet(),
                (from, to) -> groupOf.get(from).equals(groupOf.get(to)));
    }

    /**
     * Each node reaches another one exactly when {@code expected.test(from, to)} says it should, for every
     * ordered pair of distinct nodes.
     *
     * <pre>{@code
     * network.partition(List.of(a, b), List.of(c));
     * assertThat(network).hasReachability((from, to) -> from != c && to != c);
     * }</pre>
     *
     * @param expected whether {@code from} should reach {@code to}
     * @return this assertion, for more
     * @throws AssertionError if the network is null, or a pair is not as expected within the time; the message
     *     has the whole table
     * @throws NullPointerException if {@code expected} is null
     */
    public NetworkAssert hasReachability(BiPredicate<Node, Node> expected) {
        Objects.requireNonNull(expected, "expected");
        return matches("to have the expected reachability", expected);
    }

    private NetworkAssert matches(String what, BiPredicate<Node, Node> expected) {
        isNotNull();
        return matches(what, actual.nodes(), expected);
    }

    private record Cell(Node from, Node to, boolean expected, Future<Probe.Outcome> outcome) {}

    private NetworkAssert matches(String what, Collection<Node> probed, BiPredicate<Node, Node> expected) {
        isNotNull();
        List<Node> nodes = actual.nodes().stream().filter(n -> probed.stream().anyMatch(p -> p == n))
                .sorted(java.util.Comparator.comparing(n -> java.nio.ByteBuffer.wrap(n.ipv4().getAddress()).getInt()))
                .toList();
        List<AutoCloseable> echoes = new ArrayList<>();
        ExecutorService probes = Target.probes();
        List<Cell> cells = new ArrayList<>();
        try {
            if (protocol.kind() == Protocol.Kind.UDP) {
                for (Node node : nodes) {
                    AutoCloseable echo = Target.of(node).startUdpEcho(protocol.port());
                    if (echo != null) {
                        echoes.add(echo);
                    }
                }
            }
            for (Node from : nodes) {
                for (Node to : nodes) {
                    if (from != to) {
                        boolean wanted = expected.test(from, to);
                        cells.add(new Cell(from, to, wanted, probes.submit(
                                () -> Probe.until(wanted, from, Target.of(to), protocol, within))));
                    }
                }
            }
            Map<Node, Map<Node, Probe.Outcome>> found = new IdentityHashMap<>();
            List<String> differences = new ArrayList<>();
            for (Cell cell : cells) {
                Probe.Outcome outcome;
                try {
                    outcome = cell.outcome().get();
                } catch (Exception e) {
                    outcome = new Probe.Outcome(false, "failed (" + e + ")");
                }
                found.computeIfAbsent(cell.from(), k -> new IdentityHashMap<>()).put(cell.to(), outcome);
                if (outcome.reached() != cell.expected()) {
                    differences.add(cell.from().name() + " -> " + cell.to().name() + ": expected "
                            + (cell.expected() ? "to reach, but it did not: " : "not to reach, but it did: ")
                            + outcome.what());
                }
            }
            if (!differences.isEmpty()) {
                failWithMessage("%s", "Expecting the nodes of network " + actual.subnet() + " " + what + " "
                        + protocol + " within " + Await.seconds(within) + ", but " + differences.size() + " of "
                        + cells.size() + " pairs differ (marked *):\n" + table(nodes, found, expected)
                        + String.join("\n", differences) + "\n" + Faults.line(actual));
            }
        } finally {
            probes.shutdownNow();
            for (AutoCloseable echo : echoes) {
                try {
                    echo.close();
                } catch (Exception e) {
                    // a closed echo socket: nothing left to do
                }
            }
        }
        return this;
    }

    /** The matrix: a row per source, a column per target, "yes" or "no", with * where it differs. */
    static String table(List<Node> nodes, Map<Node, Map<Node, Probe.Outcome>> found, BiPredicate<Node, Node> expected) {
        int width = Math.max("from \\ to".length(), nodes.stream().mapToInt(n -> n.name().length()).max().orElse(0));
        int cell = Math.max(5, nodes.stream().mapToInt(n -> n.name().length()).max().orElse(0) + 1);
        StringBuilder out = new StringBuilder(pad("from \\ to", width));
        for (Node to : nodes) {
            out.append("  ").append(pad(to.name(), cell));
        }
        out = new StringBuilder(out.toString().stripTrailing()).append('\n');
        for (Node from : nodes) {
            StringBuilder row = new StringBuilder(pad(from.name(), width));
            for (Node to : nodes) {
                String text;
                if (from == to) {
                    text = "-";
                } else {
                    boolean reached = found.get(from).get(to).reached();
                    text = (reached ? "yes" : "no") + (reached != expected.test(from, to) ? "*" : "");
                }
                row.append("  ").append(pad(text, cell));
            }
            out.append(row.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
