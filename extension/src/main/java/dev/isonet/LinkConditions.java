package dev.isonet;

import dev.isonet.internal.faults.Delay;
import dev.isonet.internal.faults.DelayLine;
import dev.isonet.internal.faults.DelayMechanism;
import dev.isonet.internal.faults.DelayNamespace;
import dev.isonet.internal.faults.DelayTable;
import dev.isonet.internal.faults.Delays;
import dev.isonet.internal.faults.LinkShape;
import dev.isonet.internal.faults.Rate;
import dev.isonet.internal.linux.LinuxException;
import dev.isonet.internal.netlink.Request;
import dev.isonet.internal.netlink.Rtnetlink;
import dev.isonet.internal.topology.Router;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The rates and delays of one network's links, as the kernel has them. Each direction of a link has at most
 * one rate and one delay, from the active faults. A rate is a token bucket on the sending end of the link
 * (node egress: the node's eth0; node ingress: its bridge port; outside egress: the router's end of the
 * uplink; outside ingress: the host's end). A delay is a netem qdisc on the same end where the kernel has
 * sch_netem (the bucket then sits below it); else the namespaces where the packets arrive queue them to this
 * JVM, which holds them (see {@link DelayTable}, {@link DelayNamespace}, {@link DelayLine}).
 *
 * <p>Called with the lock of {@link NetworkFaults} held. State changes only once the kernel took the change.
 */
final class LinkConditions {
    private static final System.Logger LOG = System.getLogger(LinkConditions.class.getName());
    private static final String ROUTER = "router";

    /** One direction of one link. */
    private record End(Link link, boolean egress) {}

    /** What one direction of one link has now: a rate and a delay, either null. */
    private record Condition(Rate rate, Delay delay) {}

    private final Network network;
    private final Router router;
    private final Outside outside;
    private Map<End, Condition> current = Map.of();
    /** What each end's qdiscs are, as Isonet made them; ends not here have none. */
    private final Map<End, LinkShape> shapes = new HashMap<>();
    private final Map<End, Integer> mtus = new HashMap<>();
    /** Without netem: the held packets and the namespaces that queue them (a node, or ROUTER), made on need. */
    private DelayLine line;
    private final Map<Object, DelayNamespace> queues = new IdentityHashMap<>();
    private boolean closed;

    LinkConditions(Network network, Router router, Outside outside) {
        this.network = network;
        this.router = router;
        this.outside = outside;
    }

    /** Makes the kernel hold the rates and delays of {@code faults}; nothing if they are those it holds. */
    void apply(List<Fault> faults) {
        Map<End, Condition> next = conditions(faults);
        if (next.equals(current)) {
            return;
        }
        DelayMechanism mechanism = next.values().stream().anyMatch(c -> c.delay() != null)
                || current.values().stream().anyMatch(c -> c.delay() != null) ? DelayMechanism.get() : null;
        applyShapes(next, mechanism == DelayMechanism.NETEM);
        if (mechanism == DelayMechanism.QUEUE) {
            applyQueues(next);
        }
        current = next;
    }

    private static Map<End, Condition> conditions(List<Fault> faults) {
        Map<End, Rate> rates = new LinkedHashMap<>();
        Map<End, Delay> delays = new LinkedHashMap<>();
        for (Fault fault : faults) {
            if (fault.kind != Fault.Kind.RATE && fault.kind != Fault.Kind.DELAY) {
                continue;
            }
            for (boolean egress : new boolean[] {true, false}) {
                if (fault.direction == (egress ? Direction.INGRESS : Direction.EGRESS)) {
                    continue;
                }
                End end = new End(fault.link, egress);
                if (fault.rate != null) {
                    rates.put(end, fault.rate);
                } else {
                    delays.put(end, fault.delay);
                }
            }
        }
        Map<End, Condition> conditions = new HashMap<>();
        for (End end : rates.keySet()) {
            conditions.put(end, new Condition(rates.get(end), delays.get(end)));
        }
        for (End end : delays.keySet()) {
            conditions.putIfAbsent(end, new Condition(null, delays.get(end)));
        }
        return conditions;
    }

    /** The qdiscs of every end whose shape changes: one transaction per namespace's socket. */
    private void applyShapes(Map<End, Condition> next, boolean netem) {
        Map<Rtnetlink, List<Request>> requests = new LinkedHashMap<>();
        Map<End, LinkShape> changed = new HashMap<>();
        List<End> ends = new ArrayList<>(shapes.keySet());
        next.keySet().stream().filter(end -> !shapes.containsKey(end)).forEach(ends::add);
        for (End end : ends) {
            Condition condition = next.get(end);
            LinkShape after = condition == null ? LinkShape.NONE
                    : new LinkShape(condition.rate(), netem ? condition.delay() : null);
            LinkShape before = shapes.getOrDefault(end, LinkShape.NONE);
            if (after.equals(before)) {
                continue;
            }
            if (end.link() instanceof Node node && node.isClosed()) {
                changed.put(end, after); // its links go with it: nothing to undo
                continue;
            }
            requests.computeIfAbsent(socket(end), s -> new ArrayList<>())
                    .addAll(after.changeFrom(before, index(end), mtu(end)));
            changed.put(end, after);
        }
        for (Map.Entry<Rtnetlink, List<Request>> entry : requests.entrySet()) {
            try {
                entry.getKey().apply(entry.getValue());
            } catch (LinuxException e) {
                if (e.errno() == LinuxException.ENOENT && String.valueOf(e.kernelMessage()).contains("unknown")) {
                    throw new UnsupportedOperationException("rates need the tbf qdisc (CONFIG_NET_SCH_TBF): "
                            + e.getMessage(), e);
                }
                throw e;
            }
        }
        changed.forEach((end, shape) -> {
            if (shape.isNone()) {
                shapes.remove(end);
            } else {
                shapes.put(end, shape);
            }
        });
    }

    /** The socket of the namespace where {@code end}'s sending side is. */
    private Rtnetlink socket(End end) {
        if (end.link() instanceof Node node) {
            return end.egress() ? node.rtnetlink() : router.rtnetlink();
        }
        return end.egress() ? router.rtnetlink() : router.hostRtnetlink();
    }

    private int index(End end) {
        if (end.link() instanceof Node node) {
            return end.egress() ? Router.NODE_LINK : node.port().index();
        }
        return end.egress() ? router.uplinkIndex() : router.hostLinkIndex();
    }

    /** The MTU of {@code end}'s link, read once: the token bucket must hold a whole frame. */
    private int mtu(End end) {
        return mtus.computeIfAbsent(end, e -> {
            String name;
            if (e.link() instanceof Node node) {
                name = e.egress() ? Router.NODE_LINK_NAME : node.port().name();
            } else {
                name = e.egress() ? router.uplinkName() : network.hostLink();
            }
            Rtnetlink.Link link = socket(e).link(name);
            if (link == null) {
                throw new IllegalStateException("link " + name + " of " + describe(e.link()) + " is gone");
            }
            return link.mtu();
        });
    }

    /** Without netem: the readers' delays first, then each namespace's table. */
    private void applyQueues(Map<End, Condition> next) {
        Map<Long, Delay> senders = new HashMap<>();
        Map<Object, Delay> ingress = new IdentityHashMap<>();
        Delay uplinkIn = null;
        Delay uplinkOut = null;
        for (Map.Entry<End, Condition> entry : next.entrySet()) {
            Delay delay = entry.getValue().delay();
            if (delay == null || delay.nanos() == 0) {
                continue;
            }
            End end = entry.getKey();
            if (end.link() instanceof Node node) {
                if (end.egress()) {
                    senders.put(node.mac(), delay);
                } else {
                    ingress.put(node, delay);
                }
            } else if (end.egress()) {
                uplinkOut = delay;
            } else {
                uplinkIn = delay;
            }
        }
        if (line == null) {
            line = new DelayLine(network.subnet());
        }
        line.delays(new Delays(senders, ingress, uplinkIn, uplinkOut));
        TreeSet<Long> macs = new TreeSet<>(senders.keySet());
        for (Node node : network.nodes()) {
            if (!node.isClosed()) {
                DelayTable.Content content = new DelayTable.Content(macs, ingress.containsKey(node), false);
                update(node, content);
            }
        }
        update(ROUTER, new DelayTable.Content(macs, uplinkIn != null, uplinkOut != null));
    }

    /** Makes {@code owner}'s table hold {@code content}: made first if it is needed and not there yet. */
    private void update(Object owner, DelayTable.Content content) {
        DelayNamespace queue = queues.get(owner);
        if (queue != null) {
            queue.update(content);
        } else if (!content.isEmpty()) {
            queues.put(owner, open(owner, content));
        }
    }

    private DelayNamespace open(Object owner, DelayTable.Content content) {
        if (owner instanceof Node node) {
            return DelayNamespace.open(node.netFd(), "node '" + node.name() + "'", DelayTable.Place.node(
                    Router.NODE_LINK), new Delays.Role.Node(node), line, content);
        }
        long bridgeMac = 0;
        for (byte b : router.subnet().mac(1)) {
            bridgeMac = (bridgeMac << 8) | (b & 0xff);
        }
        return DelayNamespace.open(router.netFd(), "the router of network " + network.subnet(),
                DelayTable.Place.router(router.bridgeIndex(), bridgeMac, router.uplinkIndex()),
                new Delays.Role.Router(router.uplinkIndex()), line, content);
    }

    /** A node joined: while some node's egress is delayed, it must queue that node's packets too. */
    void nodeAdded(Node node) {
        if (closed || line == null) {
            return;
        }
        TreeSet<Long> macs = new TreeSet<>(line.delays().senders().keySet());
        if (macs.isEmpty()) {
            return;
        }
        try {
            update(node, new DelayTable.Content(macs, false, false));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, () -> "isonet: node '" + node.name() + "' does not delay what the"
                    + " delayed nodes send it: " + e.getMessage());
        }
    }

    /** A node is closing: the socket that would keep its namespace goes, and its reader ends. */
    void nodeClosed(Node node) {
        DelayNamespace queue = queues.remove(node);
        if (queue != null) {
            queue.close();
        }
        mtus.keySet().removeIf(end -> end.link() == node);
    }

    /** The network is closing: every reader ends, and its sockets close; the qdiscs go with the links. */
    void close() {
        closed = true;
        queues.values().forEach(DelayNamespace::close);
        queues.clear();
        if (line != null) {
            line.close();
        }
        current = Map.of();
        shapes.clear();
    }

    private String describe(Link link) {
        return link == outside ? "the outside of network " + network.subnet() : "node '" + ((Node) link).name() + "'";
    }

    @Override
    public String toString() {
        return "conditions " + current + ", shapes " + shapes + (line == null ? "" : ", " + Objects.toString(
                line.delays()));
    }
}
