package dev.isonet.internal.topology;

import dev.isonet.internal.Settings;
import dev.isonet.internal.ns.HostNamespaces;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Routers of closed networks, reset and kept for the next network (setting {@code isonet.reuse}). Destroying a
 * router costs the kernel about 17 ms with the rtnl lock held (the bridge's teardown waits for an
 * {@code rcu_barrier()}), which every network being set up meanwhile waits for; a kept router costs nothing.
 *
 * <p>A kept router keeps its subnet lease, host link, addresses, routes and rules: the next network takes it
 * only if it wants that subnet (a fixed one, or any of that prefix length from a pool that holds it) and the
 * same NAT setting. At most {@value #MAX_IDLE} wait (the newest), each at most {@value #LINGER_MILLIS} ms; then,
 * or when a network needs their subnet, they are destroyed as any router is (the lease is held until the host
 * link is gone). Being reset is off the closing thread, on a thread of its own.
 */
public final class IdleRouters {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    static final int MAX_IDLE = 4;
    static final long LINGER_MILLIS = 2_000;
    /** How long a build waits for a router that is being reset, once there are enough routers to wait for. */
    private static final long RESET_WAIT_MILLIS = 500;
    /**
     * Below this many live routers, a build makes a new one rather than wait for one being reset: back to back,
     * two routers take turns, one reset while the other serves, so that no build waits for a reset.
     */
    private static final int TAKING_TURNS = 2;
    /** Routers made and not yet destroyed, whatever they do now. */
    private static final java.util.Set<Router> LIVE = new java.util.HashSet<>();

    /** How long a router made by the launcher session's warm-up waits for the session's first network. */
    static final long WARM_UP_LINGER_MILLIS = 30_000;

    private record Idle(Router router, long since, long linger) {}

    private record Resetting(Router router, CompletableFuture<Void> done) {}

    private static final List<Idle> IDLE = new ArrayList<>();
    private static final List<Resetting> RESETTING = new ArrayList<>();
    private static final ExecutorService RESETTER = resetter();

    private IdleRouters() {}

    private static ExecutorService resetter() {
        ThreadPoolExecutor threads = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                job -> HostNamespaces.newHostThread("isonet-router-reset", job));
        threads.allowCoreThreadTimeOut(true);
        return threads;
    }

    static boolean enabled() {
        return Settings.REUSE.enabled();
    }

    /**
     * A network closed: its router is reset and kept, or destroyed if it cannot be reset or reuse is off. The
     * future completes once nothing of the network is left in it (reset done, or router reaped).
     */
    static CompletableFuture<Void> release(Router router) {
        if (!enabled() || !router.resettable()) {
            return router.destroy();
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        Resetting resetting = new Resetting(router, done);
        synchronized (IdleRouters.class) {
            RESETTING.add(resetting);
        }
        RESETTER.execute(() -> {
            boolean kept = false;
            try {
                router.reset();
                kept = park(resetting);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "isonet: router " + router.hostLink() + " not kept: " + e);
            } finally {
                if (!kept) {
                    synchronized (IdleRouters.class) {
                        RESETTING.remove(resetting);
                        IdleRouters.class.notifyAll();
                    }
                    router.destroy().whenComplete((ok, failure) -> done.complete(null));
                }
            }
        });
        return done;
    }

    /**
     * Keeps a reset router, unless reuse was turned off meanwhile; when {@value #MAX_IDLE} are kept already, the
     * one kept longest makes room (the newest is likelier to suit the next network).
     */
    private static boolean park(Resetting resetting) {
        Router displaced = null;
        synchronized (IdleRouters.class) {
            RESETTING.remove(resetting);
            IdleRouters.class.notifyAll();
            if (!enabled() || !resetting.router().resettable()
                    || resetting.router().madeByWarmUp() && !warmUpWanted.getAsBoolean()) {
                return false;
            }
            if (IDLE.size() >= MAX_IDLE) {
                displaced = IDLE.remove(0).router();
            }
            IDLE.add(new Idle(resetting.router(), System.currentTimeMillis(),
                    resetting.router().madeByWarmUp() ? WARM_UP_LINGER_MILLIS : LINGER_MILLIS));
        }
        if (displaced != null) {
            displaced.destroy();
        }
        resetting.done().complete(null);
        Reaper.wake(); // expires idle routers
        return true;
    }

    /** The warm-up's router while it is being made: a build that it would fit waits for it. */
    private static CompletableFuture<Void> warming = CompletableFuture.completedFuture(null);
    private static Subnet warmingPool;
    private static int warmingPrefix;
    private static boolean warmingNat;
    private static final ThreadLocal<Boolean> WARMING_UP = ThreadLocal.withInitial(() -> false);
    /** Set once a network other than the warm-up's asked for a router: a warm-up network that has not started yet
     * then does not start. */
    private static boolean networkAsked;
    /** Whether the session that asked for the warm-up still wants its router: false once it closed. */
    private static java.util.function.BooleanSupplier warmUpWanted = () -> false;

    /**
     * Runs {@code build}, which builds and closes a network with the session's pool, prefix and NAT setting (the
     * defaults), on the launcher session's warm-up thread: every class, socket and lock of a build is then ready,
     * and the router it made is kept for up to {@value #WARM_UP_LINGER_MILLIS} ms, with nodes made ahead, for the
     * session's first network, as long as {@code wanted} says the session is open. A network that it would fit
     * waits for it rather than make another. Does nothing if reuse is off.
     */
    public static void warmUp(Subnet pool, int prefixLength, boolean nat, java.util.function.BooleanSupplier wanted,
                              Runnable build) {
        if (!enabled() || !wanted.getAsBoolean()) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (IdleRouters.class) {
            if (!warming.isDone() || networkAsked) {
                return; // a network asked first: a second cold build beside it would only slow it down
            }
            warming = done;
            warmUpWanted = wanted;
            warmingPool = pool;
            warmingPrefix = prefixLength;
            warmingNat = nat;
        }
        WARMING_UP.set(true);
        try {
            build.run();
        } finally {
            WARMING_UP.set(false);
            synchronized (IdleRouters.class) {
                IdleRouters.class.notifyAll();
            }
            done.complete(null);
        }
    }

    /**
     * Leases a subnet of {@code pool} and gives it back at once: the lease's sockets, lock and host thread are then
     * ready for the first network, and nothing is seen on the host (a lease is an abstract socket).
     */
    public static void warmUpLease(Subnet pool, int prefixLength) {
        SubnetPool.lease(null, pool, prefixLength).close();
    }

    /** Whether the calling thread is the warm-up's, building its network. */
    static boolean warmingUp() {
        return WARMING_UP.get();
    }

    /**
     * A kept router for a network that wants {@code requested} (or, if null, a /{@code prefixLength} of
     * {@code pool}) with NAT {@code nat}; waits a little for one being reset. Null if none fits.
     */
    static Router take(Subnet requested, Subnet pool, int prefixLength, boolean nat) {
        if (!enabled()) {
            return null;
        }
        long deadline = System.currentTimeMillis() + RESET_WAIT_MILLIS;
        synchronized (IdleRouters.class) {
            networkAsked |= !warmingUp();
            while (true) {
                // The most recently kept first: its caches are warm, and older ones may expire.
                for (int i = IDLE.size() - 1; i >= 0; i--) {
                    Router router = IDLE.get(i).router();
                    if (fits(router, requested, pool, prefixLength, nat)) {
                        IDLE.remove(i);
                        router.takenByNetwork();
                        return router;
                    }
                }
                boolean coming = false;
                // The warm-up's router, being reset, is worth its few milliseconds: a first network made instead
                // would pay every cold cost the warm-up was for.
                boolean warmUpsComing = false;
                for (Resetting resetting : RESETTING) {
                    if (fits(resetting.router(), requested, pool, prefixLength, nat)) {
                        coming = true;
                        warmUpsComing |= resetting.router().madeByWarmUp();
                    }
                }
                boolean warmingUp = !warming.isDone() && !warmingUp() && requested == null && nat == warmingNat
                        && prefixLength == warmingPrefix && pool.equals(warmingPool);
                long left = deadline - System.currentTimeMillis();
                if (!warmingUp && !warmUpsComing && (!coming || LIVE.size() < TAKING_TURNS) || left <= 0) {
                    return null;
                }
                try {
                    IdleRouters.class.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    private static boolean fits(Router router, Subnet requested, Subnet pool, int prefixLength, boolean nat) {
        Subnet subnet = router.subnet();
        if (router.nat() != nat) {
            return false;
        }
        if (requested != null) {
            return subnet.equals(requested);
        }
        return subnet.prefixLength() == prefixLength && prefixLength >= pool.prefixLength() && pool.overlaps(subnet);
    }

    /**
     * Destroys the kept routers whose subnet overlaps {@code subnet}, once those being reset are done, so that a
     * network that asks for it can lease it (after they are reaped: {@link Reaper#awaitReaped}).
     */
    static void evictOverlapping(Subnet subnet) {
        evict(router -> router.subnet().overlaps(subnet));
    }

    /** Destroys the kept routers with a subnet in {@code pool}: it has no free subnet left. */
    static void evictWithin(Subnet pool) {
        evict(router -> router.subnet().overlaps(pool));
    }

    /**
     * Destroys every kept router, once a warm-up under way is done (bounded): when a test session ends, nothing
     * of Isonet should stay on the host.
     */
    public static void evictAll() {
        CompletableFuture<Void> warmUp;
        synchronized (IdleRouters.class) {
            warmUp = warming;
        }
        try {
            warmUp.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // evict what is kept now; a warm-up that ends later finds its session closed and keeps nothing
        }
        evict(router -> true);
    }

    private static void evict(java.util.function.Predicate<Router> which) {
        List<CompletableFuture<Void>> resetting = new ArrayList<>();
        synchronized (IdleRouters.class) {
            for (Resetting r : RESETTING) {
                if (which.test(r.router())) {
                    resetting.add(r.done());
                }
            }
        }
        for (CompletableFuture<Void> done : resetting) {
            try {
                done.get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                // destroyed, or still resetting: the lease check that follows reports any clash
            }
        }
        List<Router> evicted = new ArrayList<>();
        synchronized (IdleRouters.class) {
            for (Iterator<Idle> it = IDLE.iterator(); it.hasNext(); ) {
                Router router = it.next().router();
                if (which.test(router)) {
                    it.remove();
                    evicted.add(router);
                }
            }
        }
        evicted.forEach(Router::destroy);
    }

    /** Destroys the routers kept longer than {@value #LINGER_MILLIS} ms. Called by the reaper as it polls. */
    static void expire() {
        List<Router> expired = new ArrayList<>();
        long now = System.currentTimeMillis();
        synchronized (IdleRouters.class) {
            for (Iterator<Idle> it = IDLE.iterator(); it.hasNext(); ) {
                Idle idle = it.next();
                if (now - idle.since() >= idle.linger() || !enabled()) {
                    it.remove();
                    expired.add(idle.router());
                }
            }
        }
        expired.forEach(Router::destroy);
    }

    /** A router was made. */
    static synchronized void made(Router router) {
        LIVE.add(router);
    }

    /** A router was destroyed. */
    static synchronized void destroyed(Router router) {
        LIVE.remove(router);
    }

    /** Every router made and not destroyed: serving a network, being reset, or kept. */
    static synchronized List<Router> live() {
        return List.copyOf(LIVE);
    }

    static synchronized boolean none() {
        return IDLE.isEmpty() && RESETTING.isEmpty();
    }

    /** How many routers are kept now: for tests. */
    static synchronized int count() {
        return IDLE.size();
    }
}
