package dev.isonet.internal.topology;

import dev.isonet.internal.linux.LinuxException;
import dev.isonet.internal.netlink.NetlinkSocket;
import dev.isonet.internal.netlink.Rtnetlink;
import dev.isonet.internal.ns.HostNamespaces;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Holds a closed network's subnet lease until the kernel has really removed its link from the host, so that
 * no new network reuses a name, address or route that is still being reaped. It listens for the kernel's
 * link-deleted events rather than polling: a lookup waits for the rtnl lock that dying namespaces hold, and
 * polling every few milliseconds slowed the next network's setup by half.
 */
final class Reaper {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    private static final int RTMGRP_LINK = 1;
    private static final long WAIT_MILLIS = 100;
    private static final long RECHECK_MILLIS = 500;
    private static final long WARN_AFTER_MILLIS = 30_000;
    private static final int ENOBUFS = 105;
    private static final Map<String, Pending> PENDING = new ConcurrentHashMap<>();
    private static Thread thread;

    private record Pending(SubnetLease lease, Runnable whenGone, CompletableFuture<Void> done, long since) {}

    private Reaper() {}

    /** Once {@code hostLink} is gone: runs {@code whenGone} (may be null), then releases {@code lease}. */
    static synchronized CompletableFuture<Void> releaseWhenGone(SubnetLease lease, String hostLink,
                                                                Runnable whenGone) {
        Pending pending = new Pending(lease, whenGone, new CompletableFuture<>(), System.currentTimeMillis());
        PENDING.put(hostLink, pending);
        wake();
        return pending.done();
    }

    /** Starts the reaper's thread if it has none, and wakes it: there is work (or idle routers to expire). */
    static synchronized void wake() {
        if (thread == null) {
            // The closing thread may be inside a node; the reaper must not be born there.
            thread = HostNamespaces.newHostThread("isonet-reaper", Reaper::loop);
            thread.start();
        }
        Reaper.class.notifyAll();
    }

    /**
     * Waits (bounded) until this JVM's closed networks or upstreams overlapping {@code subnet} are reaped, so
     * that a test may close one and at once create another on the same fixed subnet.
     */
    static void awaitReaped(Subnet subnet) {
        for (Pending pending : PENDING.values()) {
            if (pending.lease().subnet().overlaps(subnet)) {
                try {
                    pending.done().get(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    return; // the lease check that follows reports the clash
                }
            }
        }
    }

    /**
     * Waits (bounded) until one of this JVM's closed networks inside {@code pool} is reaped; false at once if
     * none is pending there, so the pool is really full.
     */
    static boolean awaitAnyReaped(Subnet pool) {
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        for (Pending pending : PENDING.values()) {
            if (pending.lease().subnet().overlaps(pool)) {
                waiting.add(pending.done());
            }
        }
        if (waiting.isEmpty()) {
            return false;
        }
        try {
            CompletableFuture.anyOf(waiting.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** How many destroyed routers' host links are still on the host. */
    static int pending() {
        return PENDING.size();
    }

    static CompletableFuture<Void> reaped(String hostLink) {
        Pending pending = PENDING.get(hostLink);
        return pending == null ? CompletableFuture.completedFuture(null) : pending.done();
    }

    private static void loop() {
        // This thread is in the host namespace, so both sockets are too.
        NetlinkSocket events = NetlinkSocket.subscribe(NetlinkSocket.NETLINK_ROUTE, RTMGRP_LINK, WAIT_MILLIS,
                "host namespace (reaper events)");
        Rtnetlink lookups = Rtnetlink.open("host namespace (reaper)");
        long lastCheck = 0; // links that went before the subscription, or whose event was missed
        try {
            while (true) {
                IdleRouters.expire();
                HostTable.dropIfIdle();
                awaitWork();
                try {
                    for (String gone : Rtnetlink.deletedLinks(events.events())) {
                        finish(gone);
                    }
                } catch (LinuxException e) {
                    if (e.errno() != ENOBUFS) {
                        throw e;
                    }
                    lastCheck = 0; // events were dropped: look every link up
                }
                long now = System.currentTimeMillis();
                if (now - lastCheck >= RECHECK_MILLIS) {
                    lastCheck = now;
                    recheck(lookups, now);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitWork() throws InterruptedException {
        synchronized (Reaper.class) {
            while (PENDING.isEmpty() && HostTable.idle() && IdleRouters.none()) {
                Reaper.class.wait();
            }
        }
    }

    private static void recheck(Rtnetlink lookups, long now) {
        for (Map.Entry<String, Pending> entry : PENDING.entrySet()) {
            if (lookups.link(entry.getKey()) == null) {
                finish(entry.getKey());
            } else if (now - entry.getValue().since() > WARN_AFTER_MILLIS) {
                LOG.log(System.Logger.Level.WARNING, "isonet: " + entry.getKey() + " is still on the host 30 s after"
                        + " its network closed; something (a process or thread) still holds its router namespace");
                PENDING.put(entry.getKey(), new Pending(entry.getValue().lease(), entry.getValue().whenGone(),
                        entry.getValue().done(), Long.MAX_VALUE / 2)); // warn once
            }
        }
    }

    /** Releases before it forgets: whoever finds no pending entry may lease the subnet at once. */
    private static void finish(String hostLink) {
        Pending pending = PENDING.get(hostLink);
        if (pending != null) {
            if (pending.whenGone() != null) {
                pending.whenGone().run();
            }
            pending.lease().close();
            PENDING.remove(hostLink);
            pending.done().complete(null);
            long since = pending.since();
            LOG.log(System.Logger.Level.DEBUG, () -> "isonet: " + hostLink + " is gone from the host, its subnet"
                    + " free again" + (since < Long.MAX_VALUE / 2 ? ", " + (System.currentTimeMillis() - since)
                            + " ms after its network closed" : ""));
        }
    }
}
