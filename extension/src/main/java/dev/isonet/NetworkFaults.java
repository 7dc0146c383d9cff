package dev.isonet;

import dev.isonet.internal.faults.Cut;
import dev.isonet.internal.faults.Delay;
import dev.isonet.internal.faults.DelayMechanism;
import dev.isonet.internal.faults.Effect;
import dev.isonet.internal.faults.LinkSettle;
import dev.isonet.internal.faults.Loss;
import dev.isonet.internal.faults.NodeLink;
import dev.isonet.internal.faults.Rate;
import dev.isonet.internal.faults.Side;
import dev.isonet.internal.netlink.Rtnetlink;
import dev.isonet.internal.topology.Router;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The faults of one network: which are active, checks before any change, and the changes themselves. Cuts
 * and losses are the router's nf_tables rules, rewritten from the active faults in one transaction per
 * change; rates and delays are the {@link LinkConditions}; a disconnect is a link down. Every check is made
 * before anything changes, and the list of active faults changes only once the kernel has taken the change.
 */
final class NetworkFaults {
    private final Network network;
    private final Router router;
    private final Outside outside;
    private final List<Fault> active = new ArrayList<>();
    private final LinkConditions conditions;
    private boolean closed;

    NetworkFaults(Network network, Router router) {
        this.network = network;
        this.router = router;
        this.outside = new Outside(network, this);
        this.conditions = new LinkConditions(network, router, outside);
    }

    Outside outside() {
        return outside;
    }

    synchronized List<Fault> active() {
        return List.copyOf(active);
    }

    synchronized Fault partition(Collection<? extends Endpoint>[] groups) {
        ensureOpen();
        Objects.requireNonNull(groups, "groups");
        if (groups.length < 2) {
            throw new IllegalArgumentException("partition needs at least two groups, got " + groups.length);
        }
        Map<Endpoint, Integer> groupOf = new IdentityHashMap<>();
        List<List<Side>> sides = new ArrayList<>();
        StringJoiner description = new StringJoiner(" | ", "partition ", "");
        for (int i = 0; i < groups.length; i++) {
            String parameter = "groups[" + i + "]";
            Objects.requireNonNull(groups[i], parameter);
            if (groups[i].isEmpty()) {
                throw new IllegalArgumentException(parameter + " is empty");
            }
            List<Side> group = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (Endpoint endpoint : groups[i]) {
                Side side = side(endpoint, parameter);
                Integer other = groupOf.putIfAbsent(endpoint, i);
                if (other != null && other != i) {
                    throw new IllegalArgumentException(describe(endpoint) + " is in groups[" + other + "] and in "
                            + parameter + ": groups must not overlap");
                }
                if (other == null) {
                    group.add(side);
                    names.add(endpoint.name());
                }
            }
            sides.add(group);
            description.add(names.toString());
        }
        Set<Cut> cuts = new LinkedHashSet<>();
        for (int i = 0; i < sides.size(); i++) {
            for (int j = 0; j < sides.size(); j++) {
                if (i != j) {
                    for (Side from : sides.get(i)) {
                        for (Side to : sides.get(j)) {
                            cuts.add(new Cut(from, to));
                        }
                    }
                }
            }
        }
        return add(new Fault(this, Fault.Kind.CUT, description.toString(), Effect.cuts(cuts), null, null));
    }

    synchronized Fault isolate(Node node) {
        ensureOpen();
        Side.Node side = (Side.Node) side(Objects.requireNonNull(node, "node"), "node");
        return add(new Fault(this, Fault.Kind.CUT, "isolate " + node.name(), Effect.isolated(side.port()),
                null, null));
    }

    synchronized Fault block(Endpoint from, Endpoint to) {
        ensureOpen();
        Side fromSide = side(Objects.requireNonNull(from, "from"), "from");
        Side toSide = side(Objects.requireNonNull(to, "to"), "to");
        if (from == to) {
            throw new IllegalArgumentException("from and to are both " + describe(from) + ": a block needs two"
                    + " endpoints");
        }
        if (!(from instanceof Node) && !(to instanceof Node)) {
            throw new IllegalArgumentException("block needs a node of network " + network.subnet() + " on one"
                    + " side at least: from " + describe(from) + " to " + describe(to) + " does not pass through it");
        }
        return add(new Fault(this, Fault.Kind.CUT, "block " + from.name() + " -> " + to.name(),
                Effect.cuts(Set.of(new Cut(fromSide, toSide))), null, null));
    }

    /** Directed cuts between nodes, for the shapes of {@link Partitions}; {@code nodes} are all it names. */
    synchronized Fault cuts(String description, List<Node> nodes, List<Node[]> fromTo) {
        ensureOpen();
        for (int i = 0; i < nodes.size(); i++) {
            side(nodes.get(i), "nodes[" + i + "]");
        }
        Set<Cut> cuts = new LinkedHashSet<>();
        for (Node[] pair : fromTo) {
            cuts.add(new Cut(side(pair[0], "from"), side(pair[1], "to")));
        }
        return add(new Fault(this, Fault.Kind.CUT, description, Effect.cuts(cuts), null, null));
    }

    synchronized Fault loss(Link link, double percent, Direction direction) {
        ensureOpen();
        Side side = side((Endpoint) link, "link");
        Objects.requireNonNull(direction, "direction");
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent " + percent + " must be 0 to 100");
        }
        int permille = (int) Math.round(percent * 10);
        List<Loss> losses = new ArrayList<>();
        if (direction != Direction.INGRESS) {
            losses.add(new Loss(side, true, permille));
        }
        if (direction != Direction.EGRESS) {
            losses.add(new Loss(side, false, permille));
        }
        String description = "loss " + BigDecimal.valueOf(permille, 1).stripTrailingZeros().toPlainString() + "% "
                + direction.text() + " on " + linkName(link);
        return replace(new Fault(this, Fault.Kind.LOSS, description, Effect.losses(losses), link, direction));
    }

    synchronized Fault rate(Link link, long bitsPerSecond, Direction direction) {
        ensureOpen();
        side((Endpoint) link, "link");
        Objects.requireNonNull(direction, "direction");
        if (bitsPerSecond < 8) {
            throw new IllegalArgumentException("bitsPerSecond " + bitsPerSecond + " must be at least 8 (one byte a"
                    + " second)");
        }
        Rate rate = new Rate(bitsPerSecond);
        return replace(new Fault(this, "rate " + rate.text() + " " + direction.text() + " on " + linkName(link), link,
                direction, rate, null));
    }

    synchronized Fault delay(Link link, Duration delay, Duration jitter, Direction direction) {
        ensureOpen();
        side((Endpoint) link, "link");
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(jitter, "jitter");
        Objects.requireNonNull(direction, "direction");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay " + millis(delay) + " must not be negative");
        }
        if (jitter.isNegative()) {
            throw new IllegalArgumentException("jitter " + millis(jitter) + " must not be negative");
        }
        if (jitter.compareTo(delay) > 0) {
            throw new IllegalArgumentException("jitter " + millis(jitter) + " must not exceed delay " + millis(delay)
                    + " (a packet is held for delay ± jitter)");
        }
        if (delay.compareTo(Delay.MAX) > 0 || delay.plus(jitter).compareTo(Delay.MAX) > 0) {
            throw new IllegalArgumentException("delay " + millis(delay) + " + jitter " + millis(jitter)
                    + " must be at most " + millis(Delay.MAX) + " (netem's limit)");
        }
        DelayMechanism.get(); // the kernel can delay, or this fails naming what it lacks
        Delay held = Delay.of(delay, jitter);
        return replace(new Fault(this, "delay " + held.text() + " " + direction.text() + " on " + linkName(link), link,
                direction, null, held));
    }

    /** In ms, as faults read; a duration too long for nanoseconds in a long as {@link Duration#toString()}. */
    private static String millis(Duration duration) {
        Duration limit = Delay.MAX.multipliedBy(1000);
        return duration.compareTo(limit) > 0 || duration.compareTo(limit.negated()) < 0 ? duration.toString()
                : Delay.millis(duration.toNanos());
    }

    /** Adds {@code fault}, replacing the active faults of its kind (loss, rate, delay) on its link whose direction overlaps. */
    private Fault replace(Fault fault) {
        List<Fault> replaced = active.stream().filter(f -> f.kind == fault.kind && f.link == fault.link
                && f.direction.overlaps(fault.direction)).toList();
        List<Fault> next = new ArrayList<>(active);
        next.removeAll(replaced);
        next.add(fault);
        commit(next, "adding " + fault);
        replaced.forEach(Fault::deactivate);
        return fault;
    }

    /** A node joined the network: it serves the egress delays of the others (see LinkConditions). */
    synchronized void nodeAdded(Node node) {
        if (!closed) {
            conditions.nodeAdded(node);
        }
    }

    /** A node is closing: its delay queue's socket, which would keep its namespace, is closed. */
    synchronized void nodeClosed(Node node) {
        if (!closed) {
            conditions.nodeClosed(node);
        }
    }

    synchronized Fault disconnect(Link link) {
        ensureOpen();
        side((Endpoint) link, "link");
        Fault existing = disconnected(link);
        if (existing != null) {
            return existing;
        }
        Fault fault = new Fault(this, Fault.Kind.DISCONNECT, linkName(link) + " disconnected", Effect.NONE, link,
                null);
        long start = System.nanoTime();
        try {
            if (link instanceof Node node) {
                node.rtnetlink().apply(NodeLink.down());
            } else {
                router.uplinkDown();
            }
        } catch (RuntimeException e) {
            throw IsonetException.of("disconnecting " + linkName(link), e);
        }
        // The link is down: from here on the fault is there to be healed, whatever the wait below finds.
        active.add(fault);
        awaitCarrier(link, false);
        network.events().add("adding " + fault, start);
        return fault;
    }

    /** Returns once the kernel has acted on the carrier change of {@code link}'s other end (see LinkSettle). */
    private void awaitCarrier(Link link, boolean on) {
        try {
            if (link instanceof Node node) {
                LinkSettle.awaitPortState(router.rtnetlink(), node.port().index(), on ? Rtnetlink.BR_STATE_FORWARDING
                        : Rtnetlink.BR_STATE_DISABLED, "the bridge port of node '" + node.name() + "'");
            } else {
                router.awaitUplinkCarrier(on);
            }
        } catch (RuntimeException e) {
            throw IsonetException.of((on ? "reconnecting " : "disconnecting ") + linkName(link), e);
        }
    }

    synchronized void reconnect(Link link) {
        Fault fault = disconnected(link);
        if (fault != null) {
            heal(fault);
        }
    }

    private Fault disconnected(Link link) {
        return active.stream().filter(f -> f.kind == Fault.Kind.DISCONNECT && f.link == link).findFirst()
                .orElse(null);
    }

    synchronized void heal(Fault fault) {
        if (!active.contains(fault)) {
            return;
        }
        if (fault.kind == Fault.Kind.DISCONNECT) {
            long start = System.nanoTime();
            boolean up = connect(fault);
            active.remove(fault);
            fault.deactivate();
            if (up) {
                awaitCarrier(fault.link, true);
            }
            network.events().add("healing " + fault, start);
            return;
        }
        List<Fault> next = new ArrayList<>(active);
        next.remove(fault);
        commit(next, "healing " + fault);
        active.remove(fault);
        fault.deactivate();
    }

    /** Every fault: the rules in one transaction, then each disconnected link up again. */
    synchronized void healAll() {
        if (closed) {
            return;
        }
        List<Fault> rules = active.stream().filter(f -> f.kind != Fault.Kind.DISCONNECT).toList();
        if (!rules.isEmpty()) {
            List<Fault> next = new ArrayList<>(active);
            next.removeAll(rules);
            commit(next, "healing every fault of network " + network.subnet());
            rules.forEach(Fault::deactivate);
        }
        RuntimeException failure = null;
        for (Fault fault : List.copyOf(active)) {
            try {
                heal(fault);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The network is closing: its namespaces, and with them every fault, go. */
    synchronized void close() {
        closed = true;
        active.forEach(Fault::deactivate);
        active.clear();
        conditions.close();
    }

    /** The router's rules become those of {@code next}; then (and only then) {@code next} is the active list. */
    private void commit(List<Fault> next, String doing) {
        long start = System.nanoTime();
        try {
            router.faults().apply(next.stream().map(f -> f.effect).toList());
            conditions.apply(next);
        } catch (RuntimeException e) {
            throw IsonetException.of(doing + " on network " + network.subnet(), e);
        }
        active.clear();
        active.addAll(next);
        network.events().add(doing, start);
    }

    private Fault add(Fault fault) {
        List<Fault> next = new ArrayList<>(active);
        next.add(fault);
        commit(next, "adding " + fault);
        return fault;
    }

    /** Sets the link up again with what the kernel removed; false if its node closed meanwhile. */
    private boolean connect(Fault fault) {
        try {
            if (fault.link instanceof Node node) {
                if (node.isClosed()) {
                    return false;
                }
                node.rtnetlink().apply(NodeLink.up(router.subnet(), node.ipv6()));
            } else {
                router.uplinkUp();
            }
            return true;
        } catch (RuntimeException e) {
            throw IsonetException.of("reconnecting " + linkName(fault.link), e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("network " + network.subnet() + " is closed");
        }
    }

    /** The endpoint as the router sees it, once it is known to be open and of this network. */
    private Side side(Endpoint endpoint, String parameter) {
        Objects.requireNonNull(endpoint, parameter);
        if (endpoint instanceof Node node) {
            if (node.network() != network) {
                throw new IllegalArgumentException(parameter + ": node '" + node.name() + "' is on network "
                        + node.network().subnet() + ", not on network " + network.subnet());
            }
            if (node.isClosed()) {
                throw new NodeClosedException("node '" + node.name() + "' is closed");
            }
            return new Side.Node(node.port().index(), node.ipv4());
        }
        if (endpoint instanceof Outside other) {
            if (other != outside) {
                throw new IllegalArgumentException(parameter + ": the outside of network " + other.network().subnet()
                        + ", not of network " + network.subnet());
            }
            return new Side.Outside();
        }
        ExternalHost host = (ExternalHost) endpoint;
        if (host.isClosed()) {
            throw new IllegalStateException("external host '" + host.name() + "' is closed");
        }
        return new Side.Address(host.address());
    }

    private static String describe(Endpoint endpoint) {
        if (endpoint instanceof Node) {
            return "node '" + endpoint.name() + "'";
        }
        if (endpoint instanceof ExternalHost) {
            return "external host '" + endpoint.name() + "'";
        }
        return "outside";
    }

    private static String linkName(Link link) {
        return link instanceof Node node ? "node " + node.name() : "outside";
    }
}
