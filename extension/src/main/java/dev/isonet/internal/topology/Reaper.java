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
import java.util.concurrent.CountDownLatch;
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
    private static final CountDownLatch SUBSCRIBED = new CountDownLatch(1);
    private static Thread thread;

    /**
     * A host link being reaped. {@code index} tells it from a later link of the same name (0: not known, any
     * deletion of the name counts); {@code seenGone} is set when a lookup first missed it.
     */
    private record Pending(SubnetLease lease, int index, Runnable whenGone, CompletableFuture<Void> done, long since,
                           boolean seenGone) {
        Pending warned() {
            return new Pending(lease, index, whenGone, done, Long.MAX_VALUE / 2, seenGone);
        }

        Pending missed() {
            return new Pending(lease, index, whenGone, done, since, true);
        }
    }

    private Reaper() {}

    /**
     * Once {@code hostLink} (of index {@code hostIndex}, or 0 if not known) is gone: runs {@code whenGone} (may be
     * null), then releases {@code lease}.
     */
    static synchronized CompletableFuture<Void> releaseWhenGone(SubnetLease lease, String hostLink, int hostIndex,
                                                                Runnable whenGone) {
        Pending pending = new Pending(lease, hostIndex, whenGone, new CompletableFuture<>(),
                System.currentTimeMillis(), false);
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
            // Subscribed before this returns: a link deleted before that would be noticed only by rechecks.
            try {
                SUBSCRIBED.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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

    /** Whether a closed network or upstream of this JVM holding {@code subnet} is still being reaped. */
    static boolean pendingOn(Subnet subnet) {
        for (Pending pending : PENDING.values()) {
            if (pending.lease().subnet().equals(subnet)) {
                return true;
            }
        }
        return false;
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
        SUBSCRIBED.countDown();
        long lastCheck = 0; // links that went before the subscription, or whose event was missed
        try {
            while (true) {
                try {
                    IdleRouters.expire();
                    HostTable.dropIfIdle();
                    awaitWork();
                    try {
                        for (Rtnetlink.DeletedLink gone : Rtnetlink.deletedLinks(events.events())) {
                            finish(gone.name(), gone.index());
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
                } catch (RuntimeException e) {
                    // One failed step must not end the thread: every later close would wait for it in vain.
                    LOG.log(System.Logger.Level.WARNING, "isonet: the reaper failed a step; it goes on", e);
                    Thread.sleep(WAIT_MILLIS);
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

    /**
     * For events missed (dropped, or sent before the subscription). A link's name goes a moment before its
     * addresses and routes (an RCU grace period), so a lookup that misses it counts only when the next one, a
     * recheck later, misses it too; its deletion event, sent after its routes went, counts at once.
     */
    private static void recheck(Rtnetlink lookups, long now) {
        for (Map.Entry<String, Pending> entry : PENDING.entrySet()) {
            Pending pending = entry.getValue();
            Rtnetlink.Link link = lookups.link(entry.getKey());
            if (link == null || (pending.index() != 0 && link.index() != pending.index())) {
                if (pending.seenGone()) {
                    finish(entry.getKey(), 0);
                } else {
                    PENDING.replace(entry.getKey(), pending, pending.missed());
                }
            } else if (now - pending.since() > WARN_AFTER_MILLIS) {
                LOG.log(System.Logger.Level.WARNING, "isonet: " + entry.getKey() + " is still on the host 30 s after"
                        + " its network closed; something (a process or thread) still holds its router namespace");
                PENDING.replace(entry.getKey(), pending, pending.warned()); // warn once
            }
        }
    }

    /**
     * Releases before it forgets: whoever finds no pending entry may lease the subnet at once. A deletion of an
     * earlier link of the same name ({@code index} other than the pending one's) is not this one's.
     */
    private static void finish(String hostLink, int index) {
        Pending pending = PENDING.get(hostLink);
        if (pending != null && (index == 0 || pending.index() == 0 || pending.index() == index)) {
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
