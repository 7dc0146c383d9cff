package dev.isonet.internal.topology;

import dev.isonet.internal.netlink.Rtnetlink;
import dev.isonet.internal.netlink.Rtnetlink.VethEnd;
import dev.isonet.internal.ns.HostNamespaces;
import dev.isonet.internal.ns.Namespace;
import java.net.Inet4Address;
import java.util.concurrent.CompletableFuture;

/**
 * A namespace joined straight to the host by a veth, with an address the caller chose: a stand-in for the
 * world beyond the host. The host's end takes the lowest other address of the subnet and forwards what
 * arrives from it, so replies find their way back into networks.
 */
public final class Upstream {
    static final String LINK_PREFIX = "isx";
    private final Subnet subnet;
    private final SubnetLease lease;
    private final Namespace namespace;
    private final Rtnetlink rtnetlink;
    private final String hostLink;
    private final Inet4Address address;
    private final Inet4Address hostAddress;
    private volatile int hostIndex;
    private boolean closed;

    private Upstream(Subnet subnet, SubnetLease lease, Namespace namespace, Rtnetlink rtnetlink, int hostNumber,
                     int hostEnd) {
        this.subnet = subnet;
        this.lease = lease;
        this.namespace = namespace;
        this.rtnetlink = rtnetlink;
        this.hostLink = LINK_PREFIX + subnet.id();
        this.address = subnet.ipv4(hostNumber);
        this.hostAddress = subnet.ipv4(hostEnd);
    }

    /** Fails, naming the value, unless {@code address} is a host address a.b.c.d/n outside reserved ranges. */
    public static void checkAddress(String address) {
        Subnet given = Subnet.parse("address", address);
        Subnet subnet = new Subnet(given.base() & Subnet.mask(given.prefixLength()), given.prefixLength());
        subnet.checkNotReserved("address", address);
        int hostNumber = given.base() - subnet.base();
        if (hostNumber < 1 || hostNumber > subnet.lastHost()) {
            throw new IllegalArgumentException("address '" + address + "' is not a host address of " + subnet);
        }
    }

    /** {@code address} is a.b.c.d/n: the upstream's own address and its subnet. */
    public static Upstream create(String name, String address) {
        checkAddress(address);
        Subnet given = Subnet.parse("address", address);
        int prefix = given.prefixLength();
        Subnet subnet = new Subnet(given.base() & Subnet.mask(prefix), prefix);
        int hostNumber = given.base() - subnet.base();
        int hostEnd = hostNumber == 1 ? 2 : 1;
        IdleRouters.evictOverlapping(subnet); // a router kept for reuse must not hold the subnet asked for
        SubnetLease lease = SubnetPool.lease(subnet, null, prefix);
        Upstream upstream = null;
        try {
            upstream = HostNamespaces.create(name, fds -> new Upstream(subnet, lease, new Namespace(name, "external host '" + name + "'", fds, null),
                    Rtnetlink.open("upstream " + name), hostNumber, hostEnd));
            upstream.configure(hostNumber, hostEnd);
            return upstream;
        } catch (RuntimeException e) {
            if (upstream != null) {
                upstream.close();
            } else {
                lease.close();
            }
            throw e;
        }
    }

    private void configure(int hostNumber, int hostEnd) {
        int eth0 = Router.NODE_LINK;
        rtnetlink.apply(
                Rtnetlink.linkSetUp(1),
                Rtnetlink.linkAddVeth(VethEnd.named(Router.NODE_LINK_NAME).index(eth0),
                        VethEnd.named(hostLink).in(HostNamespaces.netFd())),
                Rtnetlink.addrAdd(eth0, subnet.ipv4(hostNumber), subnet.prefixLength()),
                Rtnetlink.routeAdd(subnet.ipv4(0), 0, subnet.ipv4(hostEnd), eth0, false));
        Rtnetlink host = HostSide.rtnetlink();
        int index = HostSide.linkIndex(hostLink);
        hostIndex = index;
        host.apply(Rtnetlink.linkSetUp(index),
                Rtnetlink.addrAdd(index, subnet.ipv4(hostEnd), subnet.prefixLength()),
                Rtnetlink.linkSetIpv4Forwarding(index));
    }

    public Namespace namespace() {
        return namespace;
    }

    public Inet4Address address() {
        return address;
    }

    public Inet4Address hostAddress() {
        return hostAddress;
    }

    public CompletableFuture<Void> close() {
        synchronized (this) {
            if (closed) {
                return Reaper.reaped(hostLink);
            }
            closed = true;
        }
        rtnetlink.close();
        namespace.close();
        return Reaper.releaseWhenGone(lease, hostLink, hostIndex, null);
    }
}
