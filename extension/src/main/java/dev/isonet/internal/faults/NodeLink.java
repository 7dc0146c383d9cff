package dev.isonet.internal.faults;

import dev.isonet.internal.netlink.Request;
import dev.isonet.internal.netlink.Rtnetlink;
import dev.isonet.internal.topology.Router;
import dev.isonet.internal.topology.Subnet;
import java.net.Inet6Address;
import java.util.List;

/**
 * A node's eth0 down and up again, as requests for the node's own rtnetlink socket. Down, the kernel keeps
 * the IPv4 address (and, on up, its subnet route) but removes the IPv4 routes through the link, and every
 * IPv6 address and route on it ({@code keep_addr_on_down} is 0 in a new namespace). Up restores what
 * {@code Node.create} made: keep the two in step.
 */
public final class NodeLink {
    private NodeLink() {}

    /** Equivalent to: {@code ip link set eth0 down}. */
    public static Request down() {
        return Rtnetlink.linkSetDown(Router.NODE_LINK);
    }

    /**
     * Equivalent to: {@code ip link set eth0 up; ip addr add $ipv6/64 dev eth0 nodad; ip route add default
     * via $gateway; ip -6 route add default via $gateway6; ip route add $host/32 via $gateway; ip -6 route
     * add $host6/128 via $gateway6}, in one datagram.
     */
    public static List<Request> up(Subnet subnet, Inet6Address ipv6) {
        int link = Router.NODE_LINK;
        return List.of(
                Rtnetlink.linkSetUp(link),
                Rtnetlink.addrAdd(link, ipv6, 64),
                Rtnetlink.routeAdd(subnet.ipv4(0), 0, subnet.ipv4(1), link, false),
                Rtnetlink.routeAdd(subnet.ipv6(0), 0, subnet.ipv6(1), link, false),
                Rtnetlink.routeAdd(subnet.ipv4(subnet.lastHost()), 32, subnet.ipv4(1), link, false),
                Rtnetlink.routeAdd(subnet.ipv6(subnet.lastHost()), 128, subnet.ipv6(1), link, false));
    }
}
