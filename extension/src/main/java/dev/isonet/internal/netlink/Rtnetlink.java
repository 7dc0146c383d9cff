package dev.isonet.internal.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * rtnetlink on a socket bound to one namespace. Each operation builds a {@link Request}; {@link #apply}
 * sends any number of them in one datagram, so a whole node is configured in one round trip.
 */
public final class Rtnetlink implements AutoCloseable {
    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_GETADDR = 22;
    static final int RTM_NEWROUTE = 24;
    static final int RTM_GETROUTE = 26;
    static final int RTM_NEWNEIGH = 28;
    static final int RTM_DELNEIGH = 29;
    static final int RTM_GETNEIGH = 30;
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFLA_MASTER = 10;
    static final int IFLA_OPERSTATE = 16;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_AF_SPEC = 26;
    static final int IFLA_NET_NS_FD = 28;
    static final int IFLA_NUM_TX_QUEUES = 31;
    static final int IFLA_NUM_RX_QUEUES = 32;
    static final int IFLA_INET_CONF = 1;
    static final int IPV4_DEVCONF_FORWARDING = 1;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    static final int VETH_INFO_PEER = 1;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_FLAGS = 8;
    static final int NDA_DST = 1;
    static final int NDA_LLADDR = 2;
    static final int IFA_F_NODAD = 0x02;
    static final int RTA_DST = 1;
    static final int RTA_OIF = 4;
    static final int RTA_GATEWAY = 5;
    static final int RTA_TABLE = 15;
    public static final int RT_TABLE_MAIN = 254;
    /** The kernel's local table: the namespace's own addresses, as routes. */
    public static final int RT_TABLE_LOCAL = 255;
    static final int RTPROT_STATIC = 4;
    static final int RT_SCOPE_UNIVERSE = 0;
    static final int RT_SCOPE_LINK = 253;
    static final int RTN_UNICAST = 1;
    static final int RTNH_F_ONLINK = 4;
    public static final int IFF_UP = 0x1;
    public static final int IFF_RUNNING = 0x40;
    public static final int IFF_LOWER_UP = 0x10000;
    static final int AF_UNSPEC = 0;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    private static final int CREATE = NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK
            | NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_EXCL;
    private static final int CHANGE = NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK;

    private final NetlinkSocket socket;

    public Rtnetlink(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Opens rtnetlink in the calling thread's network namespace. */
    public static Rtnetlink open(String where) {
        return new Rtnetlink(NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE, where));
    }

    public void apply(Request... requests) {
        socket.transact(List.of(requests), null, null);
    }

    public void apply(List<Request> requests) {
        socket.transact(requests, null, null);
    }

    /**
     * Like {@link #apply(List)}, where a request refused with one of {@code errnos} counts as done: for objects
     * that may have gone meanwhile (ENODEV for a link, ENOENT for a neighbour).
     */
    public void applyTolerating(List<Request> requests, int... errnos) {
        socket.transact(requests, null, null, null, errno -> {
            for (int tolerated : errnos) {
                if (errno == tolerated) {
                    return true;
                }
            }
            return false;
        });
    }

    private static NetlinkMessage ifinfo(int type, int flags, int index, int ifFlags, int change) {
        return NetlinkMessage.of(type, flags).u8(AF_UNSPEC).u8(0).u16(0).u32(index).u32(ifFlags).u32(change);
    }

    /**
     * Equivalent to: {@code ip link add $name [index $index] address $mac type bridge} (and {@code up}).
     * An index of 0 lets the kernel choose.
     */
    public static Request linkAddBridge(String name, int index, byte[] mac, boolean up) {
        NetlinkMessage m = ifinfo(RTM_NEWLINK, CREATE, index, up ? IFF_UP : 0, up ? IFF_UP : 0)
                .attrString(IFLA_IFNAME, name);
        if (mac != null) {
            m.attr(IFLA_ADDRESS, mac);
        }
        int info = m.nest(IFLA_LINKINFO);
        m.attrString(IFLA_INFO_KIND, "bridge");
        m.end(info);
        return new Request("add bridge", name, m);
    }

    /** One end of a veth pair: its name, index (0: kernel's choice) and, for the peer, its namespace fd. */
    public record VethEnd(String name, int index, int namespaceFd, int master, int mtu, byte[] mac, boolean up) {
        public static VethEnd named(String name) {
            return new VethEnd(name, 0, -1, 0, 0, null, true);
        }

        public VethEnd index(int value) {
            return new VethEnd(name, value, namespaceFd, master, mtu, mac, up);
        }

        public VethEnd in(int fd) {
            return new VethEnd(name, index, fd, master, mtu, mac, up);
        }

        public VethEnd master(int value) {
            return new VethEnd(name, index, namespaceFd, value, mtu, mac, up);
        }

        public VethEnd mtu(int value) {
            return new VethEnd(name, index, namespaceFd, master, value, mac, up);
        }

        public VethEnd mac(byte[] value) {
            return new VethEnd(name, index, namespaceFd, master, mtu, value, up);
        }

        /** Created down: only for the local end, the peer is always created down. */
        public VethEnd down() {
            return new VethEnd(name, index, namespaceFd, master, mtu, mac, false);
        }
    }

    /**
     * Equivalent to: {@code ip link add $local [master $m] numtxqueues 1 numrxqueues 1 up type veth peer name $peer
     * numtxqueues 1 numrxqueues 1 netns $fd}. Only the local end comes up; set the peer up from its own namespace.
     * The peer is created directly inside its namespace, which spares moving it afterwards. The kernel keeps
     * the peer's index only when the local end's index is given too.
     */
    public static Request linkAddVeth(VethEnd local, VethEnd peer) {
        NetlinkMessage m = ifinfo(RTM_NEWLINK, CREATE, local.index(), local.up() ? IFF_UP : 0, local.up() ? IFF_UP : 0);
        endAttributes(m, local);
        int info = m.nest(IFLA_LINKINFO);
        m.attrString(IFLA_INFO_KIND, "veth");
        int data = m.nest(IFLA_INFO_DATA);
        int peerNest = m.nest(VETH_INFO_PEER);
        // The peer cannot be created up: veth refuses to open (ENOTCONN) before the pair is joined.
        m.u8(AF_UNSPEC).u8(0).u16(0).u32(peer.index()).u32(0).u32(0);
        endAttributes(m, peer);
        m.end(peerNest).end(data).end(info);
        return new Request("add veth", local.name() + " (peer " + peer.name() + ")", m);
    }

    private static void endAttributes(NetlinkMessage m, VethEnd end) {
        m.attrString(IFLA_IFNAME, end.name());
        if (end.namespaceFd() >= 0) {
            m.attrU32(IFLA_NET_NS_FD, end.namespaceFd());
        }
        if (end.master() > 0) {
            m.attrU32(IFLA_MASTER, end.master());
        }
        if (end.mtu() > 0) {
            m.attrU32(IFLA_MTU, end.mtu());
        }
        if (end.mac() != null) {
            m.attr(IFLA_ADDRESS, end.mac());
        }
        // One queue each way from the start: veth allocates one per possible CPU, and cutting them down to the
        // one it uses costs a synchronize_net() per end with rtnl held (measured: 1.0-1.8 ms per pair, 0.4 ms
        // with one queue).
        m.attrU32(IFLA_NUM_TX_QUEUES, 1);
        m.attrU32(IFLA_NUM_RX_QUEUES, 1);
    }

    /**
     * Equivalent to: {@code sysctl net.ipv4.conf.$dev.forwarding=1}, through netlink, so that it works where
     * /proc/sys is mounted read-only (as in unprivileged containers). IPv4 forwarding is decided by the
     * device a packet arrives on.
     */
    public static Request linkSetIpv4Forwarding(int index) {
        NetlinkMessage m = ifinfo(RTM_NEWLINK, CHANGE, index, 0, 0);
        int spec = m.nest(IFLA_AF_SPEC);
        int inet = m.nest(AF_INET);
        int conf = m.nest(IFLA_INET_CONF);
        m.attrU32(IPV4_DEVCONF_FORWARDING, 1);
        m.end(conf).end(inet).end(spec);
        return new Request("enable IPv4 forwarding on", "link " + index, m);
    }

    /** Equivalent to: {@code ip link set dev $index master $master}. */
    public static Request linkSetMaster(int index, int master) {
        return new Request("set master", "link " + index, ifinfo(RTM_NEWLINK, CHANGE, index, 0, 0)
                .attrU32(IFLA_MASTER, master));
    }

    /** Equivalent to: {@code ip link set dev $index up}. */
    public static Request linkSetUp(int index) {
        return new Request("set up", "link " + index, ifinfo(RTM_NEWLINK, CHANGE, index, IFF_UP, IFF_UP));
    }

    /** Equivalent to: {@code ip link set dev $index down}. */
    public static Request linkSetDown(int index) {
        return new Request("set down", "link " + index, ifinfo(RTM_NEWLINK, CHANGE, index, 0, IFF_UP));
    }

    /** Equivalent to: {@code ip link set dev $index address $mac}. */
    public static Request linkSetMac(int index, byte[] mac) {
        return new Request("set address", "link " + index, ifinfo(RTM_NEWLINK, CHANGE, index, 0, 0)
                .attr(IFLA_ADDRESS, mac));
    }

    /** Equivalent to: {@code ip link set dev $index mtu $mtu}. */
    public static Request linkSetMtu(int index, int mtu) {
        return new Request("set mtu", "link " + index, ifinfo(RTM_NEWLINK, CHANGE, index, 0, 0)
                .attrU32(IFLA_MTU, mtu));
    }

    /** Equivalent to: {@code ip link del $name}. */
    public static Request linkDel(String name) {
        return new Request("delete link", name, ifinfo(RTM_DELLINK, CHANGE, 0, 0, 0).attrString(IFLA_IFNAME, name));
    }

    /** Equivalent to: {@code ip addr add $address/$prefix dev $index nodad}. */
    public static Request addrAdd(int index, InetAddress address, int prefixLength) {
        boolean v4 = address instanceof Inet4Address;
        NetlinkMessage m = NetlinkMessage.of(RTM_NEWADDR, CREATE)
                .u8(v4 ? AF_INET : AF_INET6).u8(prefixLength).u8(v4 ? 0 : IFA_F_NODAD).u8(RT_SCOPE_UNIVERSE).u32(index);
        m.attr(IFA_LOCAL, address.getAddress()).attr(IFA_ADDRESS, address.getAddress());
        if (!v4) {
            m.attrU32(IFA_FLAGS, IFA_F_NODAD);
        }
        return new Request("add address", address.getHostAddress() + "/" + prefixLength + " on link " + index, m);
    }

    /**
     * Equivalent to: {@code ip route add $destination/$prefix [via $gateway [onlink]] dev $index}. A null
     * gateway makes a link-scope route.
     */
    public static Request routeAdd(InetAddress destination, int prefixLength, InetAddress gateway, int index,
                                   boolean onlink) {
        boolean v4 = destination instanceof Inet4Address;
        NetlinkMessage m = NetlinkMessage.of(RTM_NEWROUTE, CREATE)
                .u8(v4 ? AF_INET : AF_INET6).u8(prefixLength).u8(0).u8(0)
                .u8(RT_TABLE_MAIN).u8(RTPROT_STATIC).u8(gateway == null ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE)
                .u8(RTN_UNICAST).u32(onlink ? RTNH_F_ONLINK : 0);
        if (prefixLength > 0) {
            m.attr(RTA_DST, destination.getAddress());
        }
        if (gateway != null) {
            m.attr(RTA_GATEWAY, gateway.getAddress());
        }
        m.attrU32(RTA_OIF, index);
        String via = gateway == null ? "" : " via " + gateway.getHostAddress();
        return new Request("add route", destination.getHostAddress() + "/" + prefixLength + via
                + " dev " + index, m);
    }

    /**
     * A link as {@code ip -d link show} lists it: {@code flags} are the IFF_* bits ({@link #isUp},
     * {@link #isLowerUp}), {@code mac} is null for links without one, {@code kind} is the IFLA_INFO_KIND
     * ("veth", "bridge") or null for a plain device such as lo, and {@code operState} is IFLA_OPERSTATE.
     */
    public record Link(int index, String name, int flags, int master, int mtu, byte[] mac, String kind,
                       int operState) {
        static final String[] OPER_STATES = {"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING",
                "DORMANT", "UP"};

        /** Administratively up ({@code ip link set up}). */
        public boolean isUp() {
            return (flags & IFF_UP) != 0;
        }

        /** Carrier present: for a veth, its peer is up too. */
        public boolean isLowerUp() {
            return (flags & IFF_LOWER_UP) != 0;
        }

        /** The operational state as {@code ip link} prints it (UP, DOWN, LOWERLAYERDOWN, ...). */
        public String operStateName() {
            return operState >= 0 && operState < OPER_STATES.length ? OPER_STATES[operState] : "" + operState;
        }
    }

    /**
     * An address as {@code ip addr show} lists it, with its IFA_F_* {@code flags} (from IFA_FLAGS where the
     * kernel sends it, which holds all 32 bits) and its {@code scope} (0 global, 253 link, 254 host).
     */
    public record Address(int index, InetAddress address, int prefixLength, int flags, int scope) {}

    /**
     * A route of any table, as {@code ip route show table all} lists it. A null gateway is a direct route;
     * {@code scope} is RT_SCOPE_*, {@code protocol} RTPROT_* (2 kernel, 3 boot, 4 static), {@code type}
     * RTN_* (1 unicast, 2 local, 3 broadcast, 5 multicast, 6 blackhole, 7 unreachable).
     */
    public record Route(int table, InetAddress destination, int prefixLength, InetAddress gateway, int index,
                        int scope, int protocol, int type) {}

    /**
     * A neighbour (ARP or NDP entry) as {@code ip neigh show} lists it. {@code lladdr} is null while the
     * kernel has none (INCOMPLETE, FAILED); {@code state} holds the NUD_* bits ({@link #stateName}).
     */
    public record Neighbour(int index, InetAddress address, byte[] lladdr, int state) {
        private static final String[] STATES = {"INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED",
                "NOARP", "PERMANENT"};

        /** The state as {@code ip neigh} prints it, such as REACHABLE or STALE; NONE for 0. */
        public String stateName() {
            StringBuilder names = new StringBuilder();
            for (int bit = 0; bit < STATES.length; bit++) {
                if ((state & (1 << bit)) != 0) {
                    names.append(names.length() == 0 ? "" : ",").append(STATES[bit]);
                }
            }
            return names.length() == 0 ? "NONE" : names.toString();
        }
    }

    /** Equivalent to: {@code ip -d link show}. */
    public List<Link> linkList() {
        List<Link> links = new ArrayList<>();
        for (Reply reply : socket.dump("list links", ifinfo(RTM_GETLINK,
                NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_DUMP, 0, 0, 0))) {
            if (reply.type() == RTM_NEWLINK) {
                links.add(link(reply));
            }
        }
        return links;
    }

    /** Equivalent to: {@code ip -d link show $name}; null when there is none. */
    public Link link(String name) {
        NetlinkMessage request = ifinfo(RTM_GETLINK, NetlinkMessage.NLM_F_REQUEST, 0, 0, 0).attrString(IFLA_IFNAME, name);
        try {
            return link(socket.query("get link", name, request));
        } catch (dev.isonet.internal.linux.LinuxException e) {
            if (e.errno() == dev.isonet.internal.linux.LinuxException.ENODEV) {
                return null;
            }
            throw e;
        }
    }

    /** An RTM_NEWLINK message (a dump entry, a get reply or an event) as a {@link Link}. */
    static Link link(Reply reply) {
        Attributes a = reply.attributes(16);
        return new Link(reply.headerU32(4), a.string(IFLA_IFNAME), reply.headerU32(8), a.u32(IFLA_MASTER, 0),
                a.u32(IFLA_MTU, 0), a.bytes(IFLA_ADDRESS), a.nested(IFLA_LINKINFO).string(IFLA_INFO_KIND),
                a.u8(IFLA_OPERSTATE, 0));
    }

    /** A link the kernel reported deleted: its index tells it from a later link of the same name. */
    public record DeletedLink(int index, String name) {}

    /** The links that a batch of link events says were deleted ({@code ip monitor link}). */
    public static List<DeletedLink> deletedLinks(List<Reply> events) {
        List<DeletedLink> deleted = new ArrayList<>();
        for (Reply event : events) {
            if (event.type() == RTM_DELLINK) {
                deleted.add(new DeletedLink(event.headerU32(4), event.attributes(16).string(IFLA_IFNAME)));
            }
        }
        return deleted;
    }

    /** Equivalent to: {@code ip addr show}, both families. */
    public List<Address> addrList() {
        List<Address> addresses = new ArrayList<>();
        NetlinkMessage request = NetlinkMessage.of(RTM_GETADDR, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_DUMP)
                .u8(AF_UNSPEC).u8(0).u8(0).u8(0).u32(0);
        for (Reply reply : socket.dump("list addresses", request)) {
            if (reply.type() == RTM_NEWADDR) {
                addresses.add(address(reply));
            }
        }
        return addresses;
    }

    static Address address(Reply reply) {
        Attributes a = reply.attributes(8);
        byte[] raw = a.has(IFA_LOCAL) ? a.bytes(IFA_LOCAL) : a.bytes(IFA_ADDRESS);
        return new Address(reply.headerU32(4), toAddress(raw), reply.headerU8(1),
                a.u32(IFA_FLAGS, reply.headerU8(2)), reply.headerU8(3));
    }

    /** Equivalent to: {@code ip route show table all} and {@code ip -6 route show table all}. */
    public List<Route> routeList() {
        return routeList(AF_UNSPEC);
    }

    /** Equivalent to: {@code ip -4 route show table all}. */
    public List<Route> ipv4RouteList() {
        return routeList(AF_INET);
    }

    private List<Route> routeList(int family) {
        List<Route> routes = new ArrayList<>();
        NetlinkMessage request = NetlinkMessage.of(RTM_GETROUTE, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_DUMP)
                .u8(family).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u32(0);
        for (Reply reply : socket.dump("list routes", request)) {
            if (reply.type() == RTM_NEWROUTE) {
                routes.add(route(reply));
            }
        }
        return routes;
    }

    static Route route(Reply reply) {
        int family = reply.headerU8(0);
        Attributes a = reply.attributes(12);
        byte[] dst = a.bytes(RTA_DST);
        if (dst == null) {
            dst = new byte[family == AF_INET ? 4 : 16];
        }
        byte[] gateway = a.bytes(RTA_GATEWAY);
        int table = a.u32(RTA_TABLE, reply.headerU8(4));
        return new Route(table, toAddress(dst), reply.headerU8(1), gateway == null ? null : toAddress(gateway),
                a.u32(RTA_OIF, 0), reply.headerU8(6), reply.headerU8(5), reply.headerU8(7));
    }

    /** Equivalent to: {@code ip neigh show} (ARP and NDP entries, every link). */
    public List<Neighbour> neighList() {
        List<Neighbour> neighbours = new ArrayList<>();
        for (Reply reply : socket.dump("list neighbours", neighDumpRequest())) {
            if (reply.type() == RTM_NEWNEIGH) {
                neighbours.add(neighbour(reply));
            }
        }
        return neighbours;
    }

    /** The dump request of {@code ip neigh show}: an ndmsg of zeros, family AF_UNSPEC (both families). */
    static NetlinkMessage neighDumpRequest() {
        return NetlinkMessage.of(RTM_GETNEIGH, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_DUMP)
                .u8(AF_UNSPEC).u8(0).u16(0).u32(0).u16(0).u8(0).u8(0);
    }

    static Neighbour neighbour(Reply reply) {
        Attributes a = reply.attributes(12);
        byte[] dst = a.bytes(NDA_DST);
        return new Neighbour(reply.headerU32(4), dst == null ? null : toAddress(dst), a.bytes(NDA_LLADDR),
                reply.headerU16(8));
    }

    /** Equivalent to: {@code ip neigh del $address dev $index}. */
    public static Request neighDel(int index, InetAddress address) {
        boolean v4 = address instanceof Inet4Address;
        NetlinkMessage m = NetlinkMessage.of(RTM_DELNEIGH, CHANGE)
                .u8(v4 ? AF_INET : AF_INET6).u8(0).u16(0).u32(index).u16(0).u8(0).u8(0)
                .attr(NDA_DST, address.getAddress());
        return new Request("delete neighbour", address.getHostAddress() + " on link " + index, m);
    }

    /** Equivalent to: {@code tc qdisc show}: the qdiscs of every link, root and others. */
    public List<TrafficControl.Qdisc> qdiscList() {
        List<TrafficControl.Qdisc> qdiscs = new ArrayList<>();
        for (Reply reply : socket.dump("list qdiscs", TrafficControl.qdiscDumpRequest())) {
            if (reply.type() == TrafficControl.RTM_NEWQDISC) {
                qdiscs.add(TrafficControl.qdisc(reply));
            }
        }
        return qdiscs;
    }


    /** Bridge port states (linux/if_bridge.h BR_STATE_*), as {@link #bridgePortState} returns them. */
    public static final int BR_STATE_DISABLED = 0;
    public static final int BR_STATE_FORWARDING = 3;
    private static final int AF_BRIDGE = 7;
    private static final int IFLA_PROTINFO = 12;
    private static final int IFLA_BRPORT_STATE = 1;

    /**
     * Equivalent to: {@code bridge link show dev $index}, the port's state only ({@link #BR_STATE_FORWARDING}
     * and kin), or -1 when the link is not a bridge port. A dump of the bridge ports: the kernel answers
     * AF_BRIDGE link requests only that way.
     */
    public int bridgePortState(int index) {
        NetlinkMessage request = NetlinkMessage.of(RTM_GETLINK, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_DUMP)
                .u8(AF_BRIDGE).u8(0).u16(0).u32(0).u32(0).u32(0);
        int state = -1;
        for (Reply reply : socket.dump("list bridge ports", request)) {
            if (reply.type() == RTM_NEWLINK && reply.headerU32(4) == index) {
                byte[] value = reply.attributes(16).nested(IFLA_PROTINFO).bytes(IFLA_BRPORT_STATE);
                state = value == null || value.length == 0 ? -1 : value[0];
            }
        }
        return state;
    }


    static InetAddress toAddress(byte[] raw) {        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("kernel sent an address of " + raw.length + " bytes", e);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
