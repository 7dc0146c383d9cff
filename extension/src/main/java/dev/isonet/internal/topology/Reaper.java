package dev.isonet.internal.topology;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds a closed network's subnet lease until the kernel has really removed its uplink from the host, so
 * that no new network reuses a name, address or route that is still being reaped.
 */
final class Reaper {
    private static final long POLL_MILLIS = 2;
    private static final long WARN_AFTER_MILLIS = 30_000;
    private static final Map<String, Pending> PENDING = new ConcurrentHashMap<>();
    private static Thread thread;

    private record Pending(SubnetLease lease, Runnable whenGone, CompletableFuture<Void> done, long since) {}

    private Reaper() {}

    /** Once {@code hostLink} is gone: runs {@code whenGone} (may be null), then releases {@code lease}. */
    static synchronized CompletableFuture<Void> releaseWhenGone(SubnetLease lease, String hostLink,
                                                                Runnable whenGone) {
        Pending pending = new Pending(lease, whenGone, new CompletableFuture<>(), System.currentTimeMillis());
        PENDING.put(hostLink, pending);
        if (thread == null) {
            // The closing thread may be inside a node; the reaper must not be born there.
            thread = dev.isonet.internal.ns.HostNamespaces.newHostThread("isonet-reaper", Reaper::loop);
            thread.start();
        }
        Reaper.class.notifyAll();
        return pending.done();
    }

    /**
     * Waits (bounded) until this JVM's closed networks or upstreams on {@code subnet} are reaped, so that a
     * test may close one and at once create another on the same fixed subnet.
     */
    static void awaitReaped(Subnet subnet) {
        for (String prefix : new String[] {RouterRules.NETWORK_LINK_PREFIX, Upstream.LINK_PREFIX}) {
            Pending pending = PENDING.get(prefix + subnet.id());
            if (pending != null) {
                try {
                    pending.done().get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    return; // the lease check that follows reports the clash
                }
            }
        }
    }

    static CompletableFuture<Void> reaped(String hostLink) {
        Pending pending = PENDING.get(hostLink);
        return pending == null ? CompletableFuture.completedFuture(null) : pending.done();
    }


    private static void loop() {
        try {
            while (true) {
                HostNat.dropIfIdle();
                synchronized (Reaper.class) {
                    while (PENDING.isEmpty()) {
                        if (HostNat.idle()) {
                            Reaper.class.wait();
                        } else {
                            Reaper.class.wait(200);
                            HostNat.dropIfIdle();
                        }
                    }
                }
                for (Map.Entry<String, Pending> entry : PENDING.entrySet()) {
                    Pending pending = entry.getValue();
                    boolean gone = HostSide.rtnetlink().link(entry.getKey()) == null;
                    if (gone) {
                        PENDING.remove(entry.getKey());
                        if (pending.whenGone() != null) {
                            pending.whenGone().run();
                        }
                        pending.lease().close();
                        pending.done().complete(null);
                    } else if (System.currentTimeMillis() - pending.since() > WARN_AFTER_MILLIS
                            && !pending.done().isDone()) {
                        System.err.println("isonet: " + entry.getKey() + " is still on the host 30 s after its network"
                                + " closed; something (a process or thread) still holds its router namespace");
                        PENDING.put(entry.getKey(), new Pending(pending.lease(), pending.whenGone(), pending.done(),
                                Long.MAX_VALUE / 2));
                    }
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
