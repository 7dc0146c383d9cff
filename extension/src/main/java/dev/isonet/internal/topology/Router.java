package dev.isonet.internal.topology;

import dev.isonet.internal.diagnostics.Capture;
import dev.isonet.internal.faults.LinkSettle;
import dev.isonet.internal.faults.RouterFaults;
import dev.isonet.internal.linux.LinuxException;
import dev.isonet.internal.netlink.Conntrack;
import dev.isonet.internal.netlink.NfTables;
import dev.isonet.internal.netlink.Request;
import dev.isonet.internal.netlink.Rtnetlink;
import dev.isonet.internal.netlink.Rtnetlink.VethEnd;
import dev.isonet.internal.ns.HostNamespaces;
import dev.isonet.internal.ns.NamespaceFds;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A network's router namespace: the bridge with the gateway addresses, the uplink veth to the host, and the
 * NAT rules. The host firewall never sees traffic between nodes, because it never leaves this namespace.
 *
 * <p>Addresses: host number 1 is the gateway, the last one the host's end of the uplink, the one before
 * it the router's end (the source that masquerade gives to egress traffic).
 *
 * <p>A router outlives its network when it can ({@link IdleRouters}): no user code ever runs in it, so once
 * {@link #reset()} took every port down and emptied its fault tables, neighbours and connection tracking, it
 * holds nothing of that network, and the next network with the same subnet and NAT setting takes it as it is.
 * Destroying it instead would cost the kernel an {@code rcu_barrier()} with the rtnl lock held (the bridge's
 * multicast teardown): about 17 ms during which no other network can be set up.
 */
public final class Router {
    static final int LO = 1;
    /** The bridge's interface index in the router namespace. */
    public static final int BRIDGE = 2;
    static final int UPLINK = 3;
    /** The interface index of the first node's bridge port; later ports follow. */
    public static final int FIRST_PORT = 16;
    /** A node's interface index inside its own namespace (lo is 1). */
    public static final int NODE_LINK = 2;
    public static final String NODE_LINK_NAME = "eth0";
    static final String UPLINK_NAME = "uplink";

    private static final AtomicBoolean IPV6_WARNED = new AtomicBoolean();
    private static final System.Logger LOG = System.getLogger("dev.isonet");

    private final Subnet subnet;
    private final SubnetLease lease;
    private final NamespaceFds fds;
    private final Rtnetlink rtnetlink;
    private final NfTables nfTables;
    private final String hostLink;
    private boolean usesHostTable;
    private final RouterFaults faults;
    private final Conntrack conntrack;
    private boolean nat;
    /** The capture socket made with the router, until the network takes it; closed with the router otherwise. */
    private Capture.Prepared capture;
    private int nextPort;
    /** Ports made since the last reset: the current network's nodes. */
    private final List<Port> ports = new ArrayList<>();
    /** Nodes made ahead for this router's next networks, by host number; their ports are down. */
    private final Map<Integer, ReadyNode> ready = new HashMap<>();
    private final Set<Integer> preparing = new HashSet<>();
    /** Made by the launcher session's warm-up, and no other network has taken it since: it waits longer. */
    private boolean madeByWarmUp = IdleRouters.warmingUp();
    /** Cleared once something changed that {@link #reset()} does not undo: then the router is destroyed. */
    private boolean resettable = true;
    private boolean closed;
    /** The index of the host's end of the uplink, once made (the kernel does not reuse an index soon). */
    private volatile int hostIndex;

    private Router(Subnet subnet, SubnetLease lease, NamespaceFds fds, Rtnetlink rtnetlink, NfTables nfTables,
                   RouterFaults faults, Conntrack conntrack) {
        this.subnet = subnet;
        this.lease = lease;
        this.fds = fds;
        this.rtnetlink = rtnetlink;
        this.nfTables = nfTables;
        this.hostLink = RouterRules.NETWORK_LINK_PREFIX + subnet.id();
        this.faults = faults;
        this.conntrack = conntrack;
    }

    /**
     * A router for a new network: one that a closed network left, reset, if one fits; else a new one on a
     * freshly leased subnet. On any failure, whatever was made is closed again.
     */
    public static Router create(Subnet requested, Subnet pool, int prefixLength, boolean nat) {
        Trace.start();
        for (Router kept; (kept = IdleRouters.take(requested, pool, prefixLength, nat)) != null; ) {
            String changed = kept.hostChange();
            if (changed == null) {
                Trace.step("router: kept from a closed network", kept.subnet);
                return kept;
            }
            LOG.log(System.Logger.Level.DEBUG, "isonet: the router kept on " + kept.subnet + " is not reused: "
                    + changed);
            kept.destroy(); // its subnet stays leased until its host link is gone
        }
        if (requested != null) {
            IdleRouters.evictOverlapping(requested); // an idle router must not hold a subnet someone asks for
        }
        SubnetLease lease = SubnetPool.lease(requested, pool, prefixLength);
        Trace.step("router: lease a subnet", lease.subnet());
        Router router = null;
        try {
            Spares.RouterParts parts = Spares.router();
            Trace.step("router: namespace, bridge, chains", null);
            router = new Router(lease.subnet(), lease, parts.fds(), parts.rtnetlink(), parts.nfTables(),
                    parts.faults(), parts.conntrack());
            router.capture = parts.capture();
            IdleRouters.made(router);
            router.configure(nat);
            return router;
        } catch (RuntimeException e) {
            if (router != null) {
                router.destroy();
            } else {
                lease.close();
            }
            throw e;
        }
    }

    /**
     * IPv6 forwarding has no netlink switch, only /proc/sys, which containers often mount read-only. Without
     * it nodes still talk IPv6 to each other (same bridge), but not to the host.
     */
    static void ipv6Forwarding() {
        try {
            Files.writeString(Path.of("/proc/sys/net/ipv6/conf/all/forwarding"), "1");
        } catch (IOException e) {
            if (IPV6_WARNED.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "isonet: IPv6 between the host and nodes is off: cannot write"
                        + " /proc/sys/net/ipv6/conf/all/forwarding in a router namespace (" + e.getMessage() + ");"
                        + " /proc/sys is read-only here. IPv4, and IPv6 between nodes, work.");
            }
        }
    }


    /**
     * What a router needs whatever its subnet: lo up, the bridge, forwarding. Done ahead of need (see
     * {@link Spares}); the bridge's MAC is set once the subnet is known, and fixed then, so that it does not
     * follow its ports.
     */
    static void prepare(Rtnetlink rt) {
        rt.apply(Rtnetlink.linkSetUp(LO),
                Rtnetlink.linkAddBridge("br0", BRIDGE, null, true),
                Rtnetlink.linkSetIpv4Forwarding(BRIDGE));
    }

    private void configure(boolean nat) {
        this.nat = nat;
        int last = subnet.lastHost();
        InetAddress routerV4 = subnet.ipv4(last - 1);
        InetAddress hostV4 = subnet.ipv4(last);
        InetAddress routerV6 = subnet.ipv6(last - 1);
        InetAddress hostV6 = subnet.ipv6(last);
        List<Request> requests = new ArrayList<>(List.of(
                Rtnetlink.linkSetMac(BRIDGE, subnet.mac(1)),
                Rtnetlink.addrAdd(BRIDGE, subnet.ipv4(1), subnet.prefixLength()),
                Rtnetlink.addrAdd(BRIDGE, subnet.ipv6(1), 64),
                Rtnetlink.linkAddVeth(VethEnd.named(UPLINK_NAME).index(UPLINK),
                        VethEnd.named(hostLink).in(HostNamespaces.netFd())),
                Rtnetlink.addrAdd(UPLINK, routerV4, 32),
                Rtnetlink.addrAdd(UPLINK, routerV6, 128),
                Rtnetlink.linkSetIpv4Forwarding(UPLINK)));
        requests.addAll(uplinkRoutes());
        rtnetlink.apply(requests);
        Trace.step("router: addresses, uplink veth, routes", null);
        RouterRules.router(nfTables, UPLINK_NAME, hostV4, hostV6, nat);
        Trace.step("router: nf_tables rules", nat ? "isolation, NAT" : "isolation");
        configureHost(hostV4, hostV6, routerV4, routerV6, nat);
    }

    /** The uplink's routes: to the host, and (with NAT) the default routes through it. */
    private List<Request> uplinkRoutes() {
        InetAddress hostV4 = subnet.ipv4(subnet.lastHost());
        InetAddress hostV6 = subnet.ipv6(subnet.lastHost());
        List<Request> routes = new ArrayList<>(List.of(
                Rtnetlink.routeAdd(hostV4, 32, null, UPLINK, false),
                Rtnetlink.routeAdd(hostV6, 128, null, UPLINK, false)));
        if (nat) {
            routes.add(Rtnetlink.routeAdd(subnet.ipv4(0), 0, hostV4, UPLINK, false));
            routes.add(Rtnetlink.routeAdd(subnet.ipv6(0), 0, hostV6, UPLINK, false));
        }
        return routes;
    }

    /** The host's end of the uplink: up, its address, the route to the subnet; NAT beyond the host. */
    private void configureHost(InetAddress hostV4, InetAddress hostV6, InetAddress routerV4, InetAddress routerV6,
                               boolean nat) {
        // The host socket lives in the host namespace, so any thread may use it.
        Rtnetlink host = HostSide.rtnetlink();
        int index = HostSide.linkIndex(hostLink);
        hostIndex = index;
        Trace.step("host: find the uplink", hostLink);
        List<Request> hostRequests = new ArrayList<>();
        hostRequests.add(Rtnetlink.linkSetUp(index));
        hostRequests.add(Rtnetlink.addrAdd(index, hostV4, 32));
        hostRequests.add(Rtnetlink.routeAdd(subnet.network(), subnet.prefixLength(), routerV4, index, true));
        if (HostSide.ipv6()) {
            hostRequests.add(Rtnetlink.addrAdd(index, hostV6, 128));
            hostRequests.add(Rtnetlink.routeAdd(subnet.ipv6Prefix(), 64, routerV6, index, true));
        }
        if (nat) {
            // Lets the host forward what arrives from the network: Isonet's own link only.
            hostRequests.add(Rtnetlink.linkSetIpv4Forwarding(index));
        }
        host.apply(hostRequests);
        Trace.step("host: uplink up, address, route", null);
        // Every network needs the host table: it confines the network to its own host address.
        HostTable.acquire();
        usesHostTable = true;
        Trace.step("host: table (NAT, confinement)", null);
        if (nat) {
            HostForwarding.warnIfBlocked();
        }
    }

    public Subnet subnet() {
        return subnet;
    }

    boolean nat() {
        return nat;
    }

    public String hostLink() {
        return hostLink;
    }

    /** The capture socket made ahead of need with this router (once; then null), or null if none was made. */
    public synchronized Capture.Prepared takeCapture() {
        Capture.Prepared taken = capture;
        capture = null;
        return taken;
    }

    /** The router's network namespace fd, while it is open. */
    public int netFd() {
        return fds.net();
    }

    public Rtnetlink rtnetlink() {
        return rtnetlink;
    }

    /** The router's connection tracking table. */
    public Conntrack conntrack() {
        return conntrack;
    }

    /** The indexes, in the router namespace, of the bridge and of the router's end of the uplink. */
    public int bridgeIndex() {
        return BRIDGE;
    }

    public int uplinkIndex() {
        return UPLINK;
    }

    public String uplinkName() {
        return UPLINK_NAME;
    }

    /** The host namespace's rtnetlink socket, for the host's end of the uplink (its index: {@link #hostLinkIndex()}). */
    public Rtnetlink hostRtnetlink() {
        return HostSide.rtnetlink();
    }

    public int hostLinkIndex() {
        return HostSide.linkIndex(hostLink);
    }

    /** The router's fault tables (see {@link dev.isonet.internal.faults.FaultTables}). */
    public RouterFaults faults() {
        return faults;
    }

    /**
     * Takes the uplink down: the network loses the host and everything beyond it. The kernel removes the
     * uplink's routes and its IPv6 address (its IPv4 address stays); {@link #uplinkUp()} restores them.
     * Equivalent to: {@code ip link set uplink down}.
     */
    public void uplinkDown() {
        linkChanged();
        rtnetlink.apply(Rtnetlink.linkSetDown(UPLINK));
    }

    /**
     * Says that a link of the router (the uplink, the bridge) or its traffic control changed in a way that
     * {@link #reset()} does not undo: the router is destroyed with its network rather than kept for the next.
     * Faults that act on the router's own links call it first.
     */
    public synchronized void linkChanged() {
        resettable = false;
    }

    /**
     * Returns once the kernel has acted on the carrier of the host's end of the uplink going off (or on),
     * after {@link #uplinkDown()} (or {@link #uplinkUp()}): see {@link LinkSettle}.
     */
    public void awaitUplinkCarrier(boolean on) {
        LinkSettle.awaitRunning(HostSide.rtnetlink(), hostLink, on, "the host's end of the uplink");
    }

    /** Brings the uplink up again, with the IPv6 address and the routes the kernel removed, in one request. */
    public void uplinkUp() {
        List<Request> requests = new ArrayList<>(List.of(
                Rtnetlink.linkSetUp(UPLINK),
                Rtnetlink.addrAdd(UPLINK, subnet.ipv6(subnet.lastHost() - 1), 128)));
        requests.addAll(uplinkRoutes());
        rtnetlink.apply(requests);
    }

    /** A bridge port of the router: the router's end of one node's veth. */
    public record Port(int index, String name) {}

    /**
     * Reserves the next bridge port for a node of the current network. Ports are never reused: a port of an
     * earlier network on this router may still exist, down, while the kernel reaps that network's node.
     */
    public synchronized Port newPort() {
        Port made = nextPort();
        ports.add(made);
        return made;
    }

    private synchronized Port nextPort() {
        int port = nextPort++;
        return new Port(FIRST_PORT + port, "p" + port);
    }

    /**
     * Joins a node namespace to the bridge at {@code port}: a veth whose router end is the bridge port and whose
     * other end is created directly in the node as eth0, with a MAC derived from its address.
     */
    public Request attach(NamespaceFds node, int hostNumber, Port port, int mtu) {
        if (mtu > 0) {
            // The bridge takes the smallest MTU of its ports, down ones too, until the port is gone.
            linkChanged();
        }
        return attach(node, hostNumber, port, mtu, true);
    }

    private Request attach(NamespaceFds node, int hostNumber, Port port, int mtu, boolean up) {
        VethEnd local = VethEnd.named(port.name()).index(port.index()).master(BRIDGE).mtu(mtu);
        return Rtnetlink.linkAddVeth(up ? local : local.down(),
                VethEnd.named(NODE_LINK_NAME).index(NODE_LINK).in(node.net()).mac(subnet.mac(hostNumber)).mtu(mtu));
    }

    /**
     * What a node with host number {@code host} needs inside, as requests for its own rtnetlink socket, in one
     * datagram: lo and eth0 up, its IPv4 and IPv6 addresses, default routes via the gateway, and the routes to
     * the host's address (inside the subnet, but behind the router). {@code NodeLink.up} restores part of it.
     */
    public static List<Request> nodeSetup(Subnet subnet, int host) {
        int link = NODE_LINK;
        return List.of(
                Rtnetlink.linkSetUp(1),
                Rtnetlink.linkSetUp(link),
                Rtnetlink.addrAdd(link, subnet.ipv4(host), subnet.prefixLength()),
                Rtnetlink.addrAdd(link, subnet.ipv6(host), 64),
                Rtnetlink.routeAdd(subnet.ipv4(0), 0, subnet.ipv4(1), link, false),
                Rtnetlink.routeAdd(subnet.ipv6(0), 0, subnet.ipv6(1), link, false),
                Rtnetlink.routeAdd(subnet.ipv4(subnet.lastHost()), 32, subnet.ipv4(1), link, false),
                Rtnetlink.routeAdd(subnet.ipv6(subnet.lastHost()), 128, subnet.ipv6(1), link, false));
    }

    /**
     * A node made ahead for this router: a fresh namespace joined to the bridge at a port that is down, with
     * eth0 up (no carrier), its addresses and routes for host number {@code hostNumber}. Nothing reaches it and
     * nothing leaves it until its port goes up, so it can wait while another network with a node of the same
     * address uses the router.
     */
    public record ReadyNode(Spares.NodeParts parts, Port port, int hostNumber) {}

    /**
     * Takes the node made ahead for host number {@code host}, if there is one: its port now belongs to the
     * current network, and is still down ({@link #portsUp}).
     */
    public synchronized ReadyNode takeReady(int host) {
        if (closed) {
            return null;
        }
        ReadyNode node = ready.remove(host);
        if (node != null) {
            ports.add(node.port());
        }
        return node;
    }

    /** The ports of the nodes made ahead and waiting, down until a network takes them: for tests. */
    public synchronized List<Port> readyPorts() {
        return ready.values().stream().map(ReadyNode::port).toList();
    }

    /** Brings ports of nodes made ahead up, in one datagram: their nodes are on the network. */
    public void portsUp(List<Port> up) {
        List<Request> requests = new ArrayList<>();
        for (Port port : up) {
            requests.add(Rtnetlink.linkSetUp(port.index()));
        }
        rtnetlink.apply(requests);
    }

    /**
     * Makes nodes ahead, in the background, for the host numbers the next network's first nodes get (2, 3, ...),
     * as many as the setting isonet.spares says; those already made or being made are not made again.
     */
    public void prepareNodes() {
        int wanted = Math.min(Spares.target(), subnet.lastHost() - 4);
        List<Integer> hosts = new ArrayList<>();
        synchronized (this) {
            if (closed || !IdleRouters.enabled()) {
                return;
            }
            for (int host = 2; host < 2 + wanted; host++) {
                if (!ready.containsKey(host) && preparing.add(host)) {
                    hosts.add(host);
                }
            }
        }
        for (int host : hosts) {
            Spares.readyNode(this, host, nextPort()).whenComplete((node, failure) -> {
                boolean kept = false;
                synchronized (this) {
                    preparing.remove(host);
                    if (node != null && !closed) {
                        ready.put(host, node);
                        kept = true;
                    }
                }
                if (node != null && !kept) {
                    node.parts().close();
                }
                if (failure != null) {
                    LOG.log(System.Logger.Level.DEBUG, "isonet: a node made ahead for " + hostLink + " failed: "
                            + failure);
                }
            });
        }
    }

    /** Makes a node ahead, on the thread that created its namespace and is still inside it. */
    ReadyNode makeReady(Spares.NodeParts parts, int host, Port port) {
        rtnetlink.apply(attach(parts.fds(), host, port, 0, false));
        parts.rtnetlink().apply(nodeSetup(subnet, host));
        return new ReadyNode(parts, port, host);
    }

    /** Takes a node's port down: the node is off the network at once, whatever still holds its namespace. */
    public void unplug(Port port) {
        synchronized (this) {
            if (closed) {
                return; // the whole router is going: its bridge goes with it
            }
        }
        rtnetlink.apply(Rtnetlink.linkSetDown(port.index()));
    }

    /**
     * The network is done with the router: it is kept for the next network if it can be ({@link IdleRouters}),
     * else destroyed. Completes once nothing of that network is left in it: reset, or reaped.
     */
    public CompletableFuture<Void> close() {
        return IdleRouters.release(this);
    }

    /**
     * How many bridge ports of closed networks' nodes are still there: each is a node namespace the kernel has
     * not reaped yet (a port goes with its node's namespace). A link dump of the router namespace.
     */
    int portsBeingReaped() {
        Set<String> current = new HashSet<>();
        synchronized (this) {
            if (closed) {
                return 0;
            }
            ports.forEach(port -> current.add(port.name()));
            ready.values().forEach(node -> current.add(node.port().name()));
        }
        int count = 0;
        for (Rtnetlink.Link link : rtnetlink.linkList()) {
            if (link.index() >= FIRST_PORT && !current.contains(link.name())) {
                count++;
            }
        }
        return count;
    }

    synchronized boolean madeByWarmUp() {
        return madeByWarmUp;
    }

    /**
     * What changed on the host since this router was made that a network on it would clash with: its host link
     * gone, or a route into its subnet through another link (an address or route added while the router was kept);
     * null if nothing did. A fresh lease checks the host the same way.
     */
    String hostChange() {
        boolean linked = false;
        // IPv4 only, as a lease from the pool looks: the IPv6 subnet is derived from it, in Isonet's own ULA.
        for (Rtnetlink.Route route : HostSide.rtnetlink().ipv4RouteList()) {
            if (route.prefixLength() == 0
                    || !subnet.overlaps(route.destination(), route.prefixLength())) {
                continue;
            }
            if (route.index() != hostIndex) {
                return "the host has a route to " + route.destination().getHostAddress() + "/" + route.prefixLength()
                        + " through another link";
            }
            linked |= route.prefixLength() == subnet.prefixLength() && route.table() != Rtnetlink.RT_TABLE_LOCAL;
        }
        // One dump, no lookup by name: a deleted host link takes its routes with it.
        return linked ? null : "its host link " + hostLink + " or its route is gone";
    }

    synchronized void takenByNetwork() {
        madeByWarmUp = false;
    }

    synchronized boolean resettable() {
        return resettable && !closed;
    }

    /**
     * Makes the router hold nothing of its last network, in this order: its ports down (its nodes are off the
     * bridge at once, whatever still holds their namespaces; the kernel removes the ports with them), the fault
     * tables empty, the bridge's neighbour entries deleted (packets queued for a node address go with them),
     * then every connection tracking entry deleted (NAT mappings, and what let replies in through the uplink).
     * The isolation and NAT rules, addresses and routes depend only on the subnet and the NAT setting, which stay.
     */
    void reset() {
        Trace.start();
        List<Port> used;
        synchronized (this) {
            used = List.copyOf(ports);
            ports.clear();
        }
        List<Request> down = new ArrayList<>();
        for (Port port : used) {
            down.add(Rtnetlink.linkSetDown(port.index()));
        }
        if (!down.isEmpty()) {
            // A port whose node namespace the kernel has reaped already is gone with it.
            rtnetlink.applyTolerating(down, LinuxException.ENODEV);
        }
        Trace.step("reset: ports down", used.size());
        faults.clear();
        Trace.step("reset: fault tables", null);
        List<Request> forget = new ArrayList<>();
        for (Rtnetlink.Neighbour neighbour : rtnetlink.neighList()) {
            if (neighbour.index() == BRIDGE && neighbour.address() != null) {
                forget.add(Rtnetlink.neighDel(BRIDGE, neighbour.address()));
            }
        }
        if (!forget.isEmpty()) {
            rtnetlink.applyTolerating(forget, LinuxException.ENOENT);
        }
        Trace.step("reset: neighbours", forget.size());
        conntrack.flush();
        Trace.step("reset: connection tracking", null);
        prepareCapture();
    }

    /** A capture socket for the next network, made now rather than while it is built (its ring takes a while). */
    private void prepareCapture() {
        synchronized (this) {
            if (capture != null || !Spares.captureWanted()) {
                return;
            }
        }
        Capture.Prepared made = dev.isonet.internal.ns.HostNamespaces.inNetwork(netFd(), "router",
                () -> Capture.prepare("a router namespace", BRIDGE, FIRST_PORT, Spares.snapLength()));
        Capture.Prepared unused = null;
        synchronized (this) {
            if (capture == null && !closed) {
                capture = made;
            } else {
                unused = made;
            }
        }
        if (unused != null) {
            unused.close();
        }
        Trace.step("reset: capture socket", null);
    }

    /**
     * Closes the router's fds; the kernel then reaps the namespace and, with it, the bridge, the veths and
     * the host's uplink. The subnet stays leased until the uplink is gone from the host.
     */
    CompletableFuture<Void> destroy() {
        synchronized (this) {
            if (closed) {
                return Reaper.reaped(hostLink);
            }
            closed = true;
        }
        List<ReadyNode> unused;
        synchronized (this) {
            unused = List.copyOf(ready.values());
            ready.clear();
        }
        unused.forEach(node -> node.parts().close());
        IdleRouters.destroyed(this);
        rtnetlink.close();
        nfTables.close();
        conntrack.close();
        Capture.Prepared unusedCapture = takeCapture();
        if (unusedCapture != null) {
            unusedCapture.close();
        }
        fds.close();
        return Reaper.releaseWhenGone(lease, hostLink, hostIndex, usesHostTable ? HostTable::release : null);
    }
}
