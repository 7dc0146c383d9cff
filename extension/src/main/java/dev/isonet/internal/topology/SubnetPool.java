package dev.isonet.internal.topology;

import dev.isonet.internal.netlink.Rtnetlink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Picks subnets for new networks: from a pool, never overlapping the host's addresses and routes (read, not
 * assumed), and never overlapping a subnet that another network holds, in this JVM or another, whatever the
 * prefix lengths.
 */
public final class SubnetPool {
    private static final int ATTEMPTS = 20;
    /** How long a fixed subnet waits for a lease held outside this JVM's live networks. */
    private static final long FOREIGN_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private SubnetPool() {}

    /** Leases {@code requested}, or the first free subnet of {@code pool} split into /{@code prefixLength}. */
    static SubnetLease lease(Subnet requested, Subnet pool, int prefixLength) {
        return requested != null ? leaseFixed(requested) : leaseFromPool(pool, prefixLength);
    }

    private static SubnetLease leaseFixed(Subnet requested) {
        // This JVM's own closed networks on it are still being reaped: wait for them rather than fail.
        Reaper.awaitReaped(requested);
        long deadline = System.nanoTime() + FOREIGN_WAIT_NANOS;
        long pauseMicros = 1_000;
        while (true) {
            List<Rtnetlink.Route> routes = HostSide.rtnetlink().routeList();
            try {
                return SubnetLease.underLock(() -> leaseFixedNow(requested, routes));
            } catch (Foreign e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            SubnetLease.pause(pauseMicros, "subnet " + requested);
            pauseMicros = Math.min(pauseMicros * 2, 50_000);
        }
    }

    /**
     * A lease held outside this JVM's live leases: another process's network (which may be closing), or a lease
     * this JVM closed whose fd a process forked at that moment still holds. Worth waiting for, briefly.
     */
    private static final class Foreign extends IllegalStateException {
        Foreign(String message) {
            super(message);
        }
    }

    /** The lease, or why not: a {@link Foreign} exception if it may be free soon. Call it under the lease lock. */
    private static SubnetLease leaseFixedNow(Subnet requested, List<Rtnetlink.Route> routes) {
        for (Subnet held : SubnetLease.held()) {
            if (held.overlaps(requested)) {
                String start = "subnet " + requested + " overlaps " + held + ", held by a live Isonet network";
                if (Reaper.pendingOn(held)) {
                    throw new IllegalStateException(start + " of this JVM that was closed but is not yet removed by"
                            + " the kernel: something (a process or a thread) still holds its namespace");
                }
                if (SubnetLease.ownedHere(held)) {
                    throw new IllegalStateException(start + " or external host of this JVM; close it first, choose"
                            + " another subnet or leave it to the pool");
                }
                throw new Foreign(start + " of another process (waited " + FOREIGN_WAIT_NANOS / 1_000_000_000
                        + " s for it to end); choose another subnet or leave it to the pool");
            }
        }
        String conflict = conflict(requested, routes);
        if (conflict != null) {
            throw new IllegalArgumentException("subnet " + requested + " overlaps the host's " + conflict
                    + "; choose another subnet");
        }
        SubnetLease lease = SubnetLease.tryAcquire(requested);
        if (lease == null) {
            throw new Foreign("subnet " + requested + " is in use by another Isonet network (in this JVM or"
                    + " another); choose another subnet or leave it to the pool");
        }
        return lease;
    }

    private static SubnetLease leaseFromPool(Subnet pool, int prefixLength) {
        if (prefixLength < pool.prefixLength()) {
            throw new IllegalArgumentException("prefixLength " + prefixLength + " is shorter than the pool " + pool
                    + "'s /" + pool.prefixLength() + ": each network's subnet must fit in the pool");
        }
        List<String> hostUse = new ArrayList<>();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            List<Subnet> routes = routeSubnets(HostSide.rtnetlink().routeList(), pool, hostUse);
            SubnetLease lease = SubnetLease.underLock(() -> firstFree(pool, prefixLength, routes, SubnetLease.held()));
            if (lease != null) {
                return lease;
            }
            // Everything is held: routers kept for reuse give theirs up; if some of it is this JVM's networks
            // still being reaped, wait and look again.
            IdleRouters.evictWithin(pool);
            if (!Reaper.awaitAnyReaped(pool)) {
                break;
            }
        }
        throw new IllegalStateException("no free /" + prefixLength + " subnet left in the pool " + pool
                + ": all are held by live networks or overlap the host" + (hostUse.isEmpty() ? "" : ", e.g. "
                + hostUse.subList(0, Math.min(3, hostUse.size()))) + ". Close networks sooner, or set a larger pool"
                + " with isonet.subnet.pool=a.b.c.d/n");
    }

    /**
     * The first candidate that overlaps neither a route nor a lease, bound at once; null if there is none. A
     * candidate that overlaps a blocker skips past the blocker's whole range, so large pools stay cheap.
     */
    private static SubnetLease firstFree(Subnet pool, int prefixLength, List<Subnet> routes, List<Subnet> held) {
        long step = 1L << (32 - prefixLength);
        long end = Integer.toUnsignedLong(pool.base()) + pool.span();
        long at = Integer.toUnsignedLong(pool.base());
        while (at < end) {
            Subnet candidate = new Subnet((int) at, prefixLength);
            Subnet blocker = firstOverlap(candidate, routes);
            if (blocker == null) {
                blocker = firstOverlap(candidate, held);
            }
            if (blocker == null) {
                SubnetLease lease = SubnetLease.tryAcquire(candidate);
                if (lease != null) {
                    return lease;
                }
                at += step; // bound by a process that did not take the lock (an older Isonet)
                continue;
            }
            long blockerEnd = Integer.toUnsignedLong(blocker.base() & Subnet.mask(blocker.prefixLength()))
                    + blocker.span();
            at = Math.max(at + step, (blockerEnd + step - 1) / step * step);
        }
        return null;
    }

    private static Subnet firstOverlap(Subnet candidate, List<Subnet> blockers) {
        for (Subnet blocker : blockers) {
            if (candidate.overlaps(blocker)) {
                return blocker;
            }
        }
        return null;
    }

    /** IPv4 routes as subnets; a default route covers everything and is what lets nodes out, so no clash. */
    private static List<Subnet> routeSubnets(List<Rtnetlink.Route> routes, Subnet pool, List<String> described) {
        List<Subnet> subnets = new ArrayList<>();
        for (Rtnetlink.Route route : routes) {
            byte[] raw = route.destination().getAddress();
            if (raw.length != 4 || route.prefixLength() == 0) {
                continue;
            }
            int base = java.nio.ByteBuffer.wrap(raw).getInt();
            Subnet subnet = new Subnet(base & Subnet.mask(route.prefixLength()), route.prefixLength());
            subnets.add(subnet);
            String text = "route " + subnet;
            if (subnet.overlaps(pool) && !described.contains(text)) {
                described.add(text);
            }
        }
        return subnets;
    }

    private static String conflict(Subnet candidate, List<Rtnetlink.Route> routes) {
        for (Rtnetlink.Route route : routes) {
            if (route.prefixLength() > 0 && candidate.overlaps(route.destination(), route.prefixLength())) {
                return "route " + route.destination().getHostAddress() + "/" + route.prefixLength();
            }
        }
        return null;
    }
}
