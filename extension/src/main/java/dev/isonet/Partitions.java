package dev.isonet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.StringJoiner;
import org.apiguardian.api.API;

/**
 * Jepsen's partition shapes (jepsen.nemesis), applied at once to the nodes' network: each returns the
 * {@link Fault}, which {@link Fault#heal()} or {@link Network#heal()} undoes. Nodes not given keep talking
 * to everyone; the host and the outside are not affected.
 *
 * <pre>{@code
 * Fault split = Partitions.majoritiesRing(network.nodes());
 * ...
 * split.heal();
 * }</pre>
 *
 * <p>The shapes use the order of {@code nodes}. All nodes must be open, distinct, and on one network; each
 * shape checks that before it changes anything.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Partitions {
    private Partitions() {}

    /**
     * Two halves that do not reach each other: the first {@code n / 2} nodes (rounded down: the smaller half)
     * and the rest. Jepsen's {@code partition-halves}; the same as
     * {@code network.partition(nodes.subList(0, n / 2), nodes.subList(n / 2, n))}. Reads
     * {@code partition [a, b] | [c, d, e]}.
     *
     * @param nodes the nodes to split, in order
     * @return the partition, active until healed
     * @throws IllegalArgumentException with fewer than 2 nodes, a node given twice, or nodes of different
     *     networks
     * @throws NullPointerException if {@code nodes} or one of them is null
     * @throws IllegalStateException if the network or a node is closed
     */
    public static Fault halves(List<Node> nodes) {
        Network network = networkOf(nodes, 2);
        int half = nodes.size() / 2;
        return network.partition(nodes.subList(0, half), nodes.subList(half, nodes.size()));
    }

    /**
     * {@link #halves} of the nodes shuffled by {@code Collections.shuffle(copy, new Random(seed))}: the same
     * seed gives the same halves. Jepsen's {@code partition-random-halves}, made repeatable. {@code nodes}
     * itself is not changed.
     *
     * <pre>{@code
     * Fault first = Partitions.randomHalves(network.nodes(), 42);
     * first.heal();
     * Fault again = Partitions.randomHalves(network.nodes(), 42); // the same halves as first
     * }</pre>
     *
     * @param nodes the nodes to split
     * @param seed the seed of the shuffle
     * @return the partition, active until healed
     * @throws IllegalArgumentException with fewer than 2 nodes, a node given twice, or nodes of different
     *     networks
     * @throws NullPointerException if {@code nodes} or one of them is null
     * @throws IllegalStateException if the network or a node is closed
     */
    public static Fault randomHalves(List<Node> nodes, long seed) {
        networkOf(nodes, 2);
        List<Node> shuffled = new ArrayList<>(nodes);
        Collections.shuffle(shuffled, new Random(seed));
        return halves(shuffled);
    }

    /**
     * Two halves (as {@link #halves}) joined by one node that reaches both: the first node of the second,
     * larger half. The halves do not reach each other; the bridge reaches, and is reached by, everyone.
     * Jepsen's {@code bridge}. Reads {@code bridge c between [a, b] and [d, e]}.
     *
     * @param nodes the nodes to split, in order
     * @return the partition, active until healed
     * @throws IllegalArgumentException with fewer than 3 nodes, a node given twice, or nodes of different
     *     networks
     * @throws NullPointerException if {@code nodes} or one of them is null
     * @throws IllegalStateException if the network or a node is closed
     */
    public static Fault bridge(List<Node> nodes) {
        Network network = networkOf(nodes, 3);
        int half = nodes.size() / 2;
        List<Node> first = nodes.subList(0, half);
        Node bridge = nodes.get(half);
        List<Node> second = nodes.subList(half + 1, nodes.size());
        List<Node[]> cuts = new ArrayList<>();
        for (Node a : first) {
            for (Node b : second) {
                cuts.add(new Node[] {a, b});
                cuts.add(new Node[] {b, a});
            }
        }
        return network.networkFaults().cuts("bridge " + bridge.name() + " between " + names(first) + " and "
                + names(second), nodes, cuts);
    }

    /**
     * Every node sees a majority, and no two see the same majority (Jepsen's {@code majorities-ring}). With
     * the nodes on a ring in the order given and {@code m = n / 2 + 1}, each window of {@code m} consecutive
     * nodes belongs to its middle node (index {@code m / 2}): that node receives only from the nodes of its
     * window. So cuts are one-way where windows are not symmetric (an even number of nodes above 4). Jepsen
     * shuffles first; shuffle {@code nodes} yourself for that. Reads {@code majorities ring [a, b, c, d, e]}.
     *
     * @param nodes the nodes, in ring order
     * @return the partition, active until healed
     * @throws IllegalArgumentException with fewer than 3 nodes, a node given twice, or nodes of different
     *     networks
     * @throws NullPointerException if {@code nodes} or one of them is null
     * @throws IllegalStateException if the network or a node is closed
     */
    public static Fault majoritiesRing(List<Node> nodes) {
        Network network = networkOf(nodes, 3);
        int n = nodes.size();
        int m = n / 2 + 1;
        List<Node[]> cuts = new ArrayList<>();
        for (int start = 0; start < n; start++) {
            Map<Node, Boolean> window = new IdentityHashMap<>();
            for (int k = 0; k < m; k++) {
                window.put(nodes.get((start + k) % n), true);
            }
            Node self = nodes.get((start + m / 2) % n);
            for (Node other : nodes) {
                if (!window.containsKey(other)) {
                    cuts.add(new Node[] {other, self});
                }
            }
        }
        return network.networkFaults().cuts("majorities ring " + names(nodes), nodes, cuts);
    }

    /** The nodes' one network, after checking there are at least {@code minimum} distinct non-null nodes. */
    private static Network networkOf(List<Node> nodes, int minimum) {
        Objects.requireNonNull(nodes, "nodes");
        if (nodes.size() < minimum) {
            throw new IllegalArgumentException("nodes " + names(nodes) + ": this shape needs at least " + minimum
                    + " nodes, got " + nodes.size());
        }
        Map<Node, Integer> seen = new IdentityHashMap<>();
        Network network = null;
        for (int i = 0; i < nodes.size(); i++) {
            Node node = Objects.requireNonNull(nodes.get(i), "nodes[" + i + "]");
            Integer twice = seen.putIfAbsent(node, i);
            if (twice != null) {
                throw new IllegalArgumentException("nodes[" + twice + "] and nodes[" + i + "] are both node '"
                        + node.name() + "'");
            }
            if (network == null) {
                network = node.network();
            } else if (node.network() != network) {
                throw new IllegalArgumentException("nodes[" + i + "]: node '" + node.name() + "' is on network "
                        + node.network().subnet() + ", not on network " + network.subnet() + " as nodes[0] is");
            }
        }
        return network;
    }

    private static String names(List<Node> nodes) {
        StringJoiner names = new StringJoiner(", ", "[", "]");
        nodes.forEach(node -> names.add(node == null ? "null" : node.name()));
        return names.toString();
    }
}
