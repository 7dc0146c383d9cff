package dev.isonet.internal.topology;

import dev.isonet.internal.Settings;
import dev.isonet.internal.diagnostics.Capture;
import dev.isonet.internal.faults.RouterFaults;
import dev.isonet.internal.netlink.Conntrack;
import dev.isonet.internal.netlink.NfTables;
import dev.isonet.internal.netlink.Rtnetlink;
import dev.isonet.internal.ns.HostNamespaces;
import dev.isonet.internal.ns.NamespaceFds;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Namespaces made ahead of need, in the background, so that building a network waits for fewer of them:
 * creating one costs about 0.5 ms, most of a node's setup. A spare is fresh (never used), and holds only
 * fds and sockets, so the kernel frees it with the JVM. The setting isonet.spares=0 turns this off; it is read
 * at each take and refill, so that a JUnit configuration parameter given after the first network counts.
 */
public final class Spares {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    private static final Pool<NodeParts> NODES = new Pool<>(Spares::nodeTarget, Spares::newNodeAsync);
    private static final Pool<RouterParts> ROUTERS = new Pool<>(() -> Math.min(nodeTarget(), 1),
            Spares::newRouterAsync);

    /**
     * A node's namespaces and the rtnetlink socket opened inside them; {@code hostname} is what its UTS namespace
     * says now (a node sets its own name when it is first used: see {@code Namespace.hostnameIsNow}).
     */
    public record NodeParts(NamespaceFds fds, Rtnetlink rtnetlink, String hostname) {
        public void close() {
            rtnetlink.close();
            fds.close();
        }
    }

    /**
     * A router's namespace, its rtnetlink, nf_tables and ctnetlink sockets, its fault tables and its capture socket
     * (null when none was made).
     */
    record RouterParts(NamespaceFds fds, Rtnetlink rtnetlink, NfTables nfTables, RouterFaults faults,
                       Conntrack conntrack, Capture.Prepared capture) {}

    /** The hostname of a node namespace made ahead, until its node is first used. */
    private static final String SPARE_NAME = "spare";

    private Spares() {}

    private static int nodeTarget() {
        return Settings.SPARES.intValue(0, Settings.MAX_SPARES);
    }

    /** How many spares the setting isonet.spares asks for: fresh namespaces, and nodes made ahead per router. */
    static int target() {
        return nodeTarget();
    }

    /**
     * A node made ahead for {@code router} (see {@link Router.ReadyNode}), in the background: a fresh namespace,
     * joined to the router's bridge at {@code port}, which stays down, and set up for host number {@code host}.
     */
    static CompletableFuture<Router.ReadyNode> readyNode(Router router, int host, Router.Port port) {
        return HostNamespaces.createAsync(SPARE_NAME, fds -> {
            NodeParts parts = nodeParts(fds, SPARE_NAME);
            try {
                return router.makeReady(parts, host, port);
            } catch (RuntimeException e) {
                parts.rtnetlink().close();
                throw e; // the creation closes the fds
            }
        });
    }

    /**
     * Fresh node namespaces for a node named {@code hostname}: a spare if there is one (its hostname is still
     * "spare"), else made now, with that hostname, on a creator thread. Returns at once, so that a caller who
     * needs many can have them made while it wires others.
     */
    public static CompletableFuture<NodeParts> node(String hostname) {
        NodeParts spare = NODES.take();
        if (spare == null) {
            return HostNamespaces.creating(hostname, fds -> nodeParts(fds, hostname));
        }
        return CompletableFuture.completedFuture(spare);
    }

    static RouterParts router() {
        RouterParts spare = ROUTERS.take();
        return spare != null ? spare : HostNamespaces.create(null, Spares::routerParts);
    }

    /**
     * Tops the spares up, in the background. Called once a network is built or closed, not while one is
     * being built: making namespaces takes kernel locks that the build would otherwise wait for.
     */
    public static void refill() {
        NODES.refill();
        ROUTERS.refill();
    }

    private static CompletableFuture<NodeParts> newNodeAsync() {
        return HostNamespaces.createAsync(SPARE_NAME, fds -> nodeParts(fds, SPARE_NAME));
    }

    private static CompletableFuture<RouterParts> newRouterAsync() {
        return HostNamespaces.createAsync(null, Spares::routerParts);
    }

    private static NodeParts nodeParts(NamespaceFds fds, String hostname) {
        return new NodeParts(fds, Rtnetlink.open("a node namespace"), hostname);
    }

    private static RouterParts routerParts(NamespaceFds fds) {
        Router.ipv6Forwarding();
        Rtnetlink rt = Rtnetlink.open("a router namespace");
        try {
            Router.prepare(rt);
            NfTables nft = NfTables.open("a router namespace");
            Conntrack conntrack = null;
            try {
                RouterRules.prepare(nft, Router.UPLINK_NAME);
                conntrack = Conntrack.open("a router namespace");
            } catch (RuntimeException e) {
                nft.close();
                throw e;
            }
            return new RouterParts(fds, rt, nft, RouterFaults.prepare(nft, Router.UPLINK), conntrack,
                    captureWanted() ? Capture.prepare("a router namespace", Router.BRIDGE, Router.FIRST_PORT,
                            snapLength()) : null);
        } catch (RuntimeException e) {
            rt.close();
            throw e;
        }
    }

    /** Whether routers get a capture socket (its ring takes a while to make): the setting isonet.capture. */
    static boolean captureWanted() {
        try {
            return Settings.CAPTURE.enabled();
        } catch (IllegalArgumentException e) {
            return true; // reported where settings are checked
        }
    }

    static int snapLength() {
        try {
            return Settings.CAPTURE_SNAPLEN.intValue(64, 65535);
        } catch (IllegalArgumentException e) {
            return Integer.parseInt(Settings.CAPTURE_SNAPLEN.defaultValue()); // reported where settings are checked
        }
    }

    /** Up to {@code target} spares, refilled in the background on request. */
    private static final class Pool<T> {
        private final IntSupplier target;
        private final Supplier<CompletableFuture<T>> maker;
        private final Queue<T> ready = new ConcurrentLinkedQueue<>();
        private final AtomicInteger making = new AtomicInteger();
        private final AtomicBoolean broken = new AtomicBoolean();

        Pool(IntSupplier target, Supplier<CompletableFuture<T>> maker) {
            this.target = target;
            this.maker = maker;
        }

        T take() {
            if (target.getAsInt() <= 0) {
                return null;
            }
            return ready.poll();
        }

        private void refill() {
            int wanted = target.getAsInt();
            while (!broken.get() && ready.size() + making.get() < wanted) {
                making.incrementAndGet();
                maker.get().whenComplete((spare, failure) -> {
                    making.decrementAndGet();
                    if (failure != null) {
                        broken.set(true); // the synchronous path will report the reason
                        LOG.log(System.Logger.Level.DEBUG, "isonet: spares off after: " + failure);
                    } else {
                        ready.add(spare);
                    }
                });
            }
        }
    }
}
