package dev.isonet.internal.topology;

import dev.isonet.internal.diagnostics.Capture;
import dev.isonet.internal.faults.LinkSettle;
import dev.isonet.internal.faults.RouterFaults;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A network's router namespace: the bridge with the gateway addresses, the uplink veth to the host, and the
 * NAT rules. The host firewall never sees traffic between nodes, because it never leaves this namespace.
 *
 * <p>Addresses: host number 1 is the gateway, the last one the host's end of the uplink, the one before
 * it the router's end (the source that masquerade gives to egress traffic).
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
    private boolean nat;
    /** The capture socket made with the router, until the network takes it; closed with the router otherwise. */
    private Capture.Prepared capture;
    private int nextPort;
    private boolean closed;

    private Router(Subnet subnet, SubnetLease lease, NamespaceFds fds, Rtnetlink rtnetlink, NfTables nfTables,
                   RouterFaults faults) {
        this.subnet = subnet;
        this.lease = lease;
        this.fds = fds;
        this.rtnetlink = rtnetlink;
        this.nfTables = nfTables;
        this.hostLink = RouterRules.NETWORK_LINK_PREFIX + subnet.id();
        this.faults = faults;
    }

    /** Leases a subnet, then builds the router. On any failure, whatever was made is closed again. */
    public static Router create(Subnet requested, Subnet pool, int prefixLength, boolean nat) {
        Trace.start();
        SubnetLease lease = SubnetPool.lease(requested, pool, prefixLength);
        Trace.step("router: lease a subnet", lease.subnet());
        Router router = null;
        try {
            Spares.RouterParts parts = Spares.router();
            Trace.step("router: namespace, bridge, chains", null);
            router = new Router(lease.subnet(), lease, parts.fds(), parts.rtnetlink(), parts.nfTables(),
                    parts.faults());
            router.capture = parts.capture();
            router.configure(nat);
            return router;
        } catch (RuntimeException e) {
            if (router != null) {
                router.close();
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
        rtnetlink.apply(Rtnetlink.linkSetDown(UPLINK));
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

    /** Reserves the next bridge port for a node. */
    public synchronized Port newPort() {
        int port = nextPort++;
        return new Port(FIRST_PORT + port, "p" + port);
    }

    /**
     * Joins a node namespace to the bridge at {@code port}: a veth whose router end is the bridge port and whose
     * other end is created directly in the node as eth0, with a MAC derived from its address.
     */
    public Request attach(NamespaceFds node, int hostNumber, Port port, int mtu) {
        return Rtnetlink.linkAddVeth(
                VethEnd.named(port.name()).index(port.index()).master(BRIDGE).mtu(mtu),
                VethEnd.named(NODE_LINK_NAME).index(NODE_LINK).in(node.net()).mac(subnet.mac(hostNumber)).mtu(mtu));
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
     * Closes the router's fds; the kernel then reaps the namespace and, with it, the bridge, the veths and
     * the host's uplink. The subnet stays leased until the uplink is gone from the host.
     */
    public CompletableFuture<Void> close() {
        synchronized (this) {
            if (closed) {
                return Reaper.reaped(hostLink);
            }
            closed = true;
        }
        rtnetlink.close();
        nfTables.close();
        Capture.Prepared unused = takeCapture();
        if (unused != null) {
            unused.close();
        }
        fds.close();
        return Reaper.releaseWhenGone(lease, hostLink, usesHostTable ? HostTable::release : null);
    }
}
