package dev.isonet.internal.topology;

import dev.isonet.internal.netlink.Rtnetlink;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks subnets for new networks: from a pool, never overlapping the host's addresses and routes (read, not
 * assumed), and never one that another network holds, in this JVM or another.
 */
public final class SubnetPool {
    private SubnetPool() {}

    /** Leases {@code requested}, or the first free subnet of {@code pool} split into /{@code prefixLength}. */
    static SubnetLease lease(Subnet requested, Subnet pool, int prefixLength) {
        List<String> hostUse = new ArrayList<>();
        if (requested != null) {
            Reaper.awaitReaped(requested);
        }
        Rtnetlink host = HostSide.rtnetlink();
        List<Rtnetlink.Route> routes = host.routeList();
        // Every local address is also a route in the local table, so the routes cover the addresses too.
        if (requested != null) {
            String conflict = conflict(requested, routes);
            if (conflict != null) {
                throw new IllegalArgumentException("subnet " + requested + " overlaps the host's " + conflict
                        + "; choose another subnet");
            }
            SubnetLease lease = SubnetLease.tryAcquire(requested);
            if (lease == null) {
                throw new IllegalStateException("subnet " + requested + " is in use by another Isonet network"
                        + " (in this JVM or another); choose another subnet or leave it to the pool");
            }
            return lease;
        }
        if (prefixLength < pool.prefixLength()) {
            throw new IllegalArgumentException("subnet prefix /" + prefixLength + " is larger than the pool " + pool);
        }
        int step = 1 << (32 - prefixLength);
        int count = 1 << (prefixLength - pool.prefixLength());
        for (int i = 0; i < count; i++) {
            Subnet candidate = new Subnet(pool.base() + i * step, prefixLength);
            String conflict = conflict(candidate, routes);
            if (conflict != null) {
                if (hostUse.size() < 3) {
                    hostUse.add(candidate + " (" + conflict + ")");
                }
                continue;
            }
            SubnetLease lease = SubnetLease.tryAcquire(candidate);
            if (lease != null) {
                return lease;
            }
        }
        throw new IllegalStateException("no free /" + prefixLength + " subnet left in the pool " + pool
                + ": all are held by live networks or overlap the host" + (hostUse.isEmpty() ? "" : ", e.g. " + hostUse)
                + ". Close networks sooner, or set a larger pool with -D" + "isonet.subnet.pool=a.b.c.d/n");
    }

    private static String conflict(Subnet candidate, List<Rtnetlink.Route> routes) {
        for (Rtnetlink.Route route : routes) {
            // A default route covers everything and is what lets nodes reach beyond the host; it is no clash.
            if (route.prefixLength() > 0 && candidate.overlaps(route.destination(), route.prefixLength())) {
                return "route " + route.destination().getHostAddress() + "/" + route.prefixLength();
            }
        }
        return null;
    }
}
