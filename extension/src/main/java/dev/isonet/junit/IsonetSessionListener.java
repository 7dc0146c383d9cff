package dev.isonet.junit;

import dev.isonet.Network;
import dev.isonet.Privileges;
import dev.isonet.internal.Settings;
import dev.isonet.internal.ns.Confinement;
import dev.isonet.internal.names.NameCache;
import dev.isonet.internal.topology.BuildStats;
import dev.isonet.internal.topology.HostTraces;
import dev.isonet.internal.topology.IdleRouters;
import dev.isonet.internal.topology.Subnet;
import dev.isonet.internal.topology.Spares;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.platform.launcher.LauncherDiscoveryListener;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Isonet's part in a JUnit launcher session; the JUnit Platform finds it through {@code ServiceLoader}, so a
 * test suite needs no setup for it.
 *
 * <ul>
 *   <li>When the session opens, first of all, it turns the JVM's name cache off (setting
 *       {@code isonet.names.uncached}, default {@code true}), so that a node name never resolves to a previous
 *       test's address; the JDK reads that policy once, at its first name lookup.
 *   <li>When the session opens, on a background daemon thread, it loads the native binding, makes spare
 *       namespaces and goes once through a subnet lease, so that the first networked test does not wait for
 *       them, and removes what containers of killed JVMs left behind (cgroups, temporary directories); when the
 *       test plan turns out to have networked tests, it then builds and closes one network (not counted in the
 *       summary) whose router is kept, with nodes made ahead, for a first network with the default pool, prefix
 *       and NAT (at most 30 s) (setting {@code isonet.warmup}, default {@code true}).
 *   <li>When discovery starts, it passes the session's JUnit configuration parameters on to Isonet's
 *       settings (a system property of the same name still wins).
 *   <li>When the session closes, if networks were built, it logs one line at INFO through
 *       {@link System.Logger}: networks and nodes built, setup time median and p99, and what is left on the
 *       host (setting {@code isonet.summary}, default {@code true}), for example
 *       {@code isonet: 38 networks, 21 nodes built; setup median 4.9 ms, p99 61.2 ms; nothing left on the host}.
 * </ul>
 *
 * <p>Not for direct use: the JUnit Platform creates and calls it.
 */
public final class IsonetSessionListener implements LauncherSessionListener, LauncherDiscoveryListener {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    /** How long the summary waits for the kernel to reap the last networks before it names what is left. */
    private static final long REAPING_WAIT_MILLIS = 5_000;
    private static final String PROPERTIES_FILE = "junit-platform.properties";
    /**
     * Classes that building the first network loads, loaded ahead by the warm-up (their initialisers only set
     * up constants and idle pools): about 30 ms of class loading that the first test would wait for.
     */
    private static final List<String> FIRST_NETWORK_CLASSES = List.of("dev.isonet.Network", "dev.isonet.Node",
            "dev.isonet.internal.topology.Subnet", "dev.isonet.internal.topology.SubnetPool",
            "dev.isonet.internal.topology.SubnetLease", "dev.isonet.internal.topology.Router",
            "dev.isonet.internal.topology.RouterRules", "dev.isonet.internal.topology.HostSide",
            "dev.isonet.internal.topology.HostTable", "dev.isonet.internal.topology.Reaper",
            "dev.isonet.internal.netlink.Rtnetlink", "dev.isonet.internal.netlink.NfTables",
            "dev.isonet.internal.netlink.NfExpression", "dev.isonet.internal.netlink.Request",
            "dev.isonet.internal.netlink.Reply", "dev.isonet.internal.netlink.Attributes",
            "dev.isonet.internal.ns.NamespaceThreads", "dev.isonet.junit.ContainerFields");

    private BuildStats.Mark mark;
    /** Cleared when the session closes: a warm-up still under way then keeps nothing. */
    private volatile boolean open;
    /** Completes when the warm-up thread is done (or there is none). */
    private final java.util.concurrent.CompletableFuture<Void> warmedUp = new java.util.concurrent.CompletableFuture<>();
    /** The session whose warm-up a networked test plan may extend. */
    private static volatile IsonetSessionListener current;
    private List<String> tracesAtOpen = List.of();

    /** Called by the JUnit Platform. */
    public IsonetSessionListener() {}

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        // Configuration parameters reach listeners only with discovery; until then, read the file JUnit reads.
        Properties file = propertiesFile();
        Settings.configure(name -> Optional.ofNullable(file.getProperty(name)));
        NameCache.turnOff(); // before the suite's first name lookup: the JDK reads the policy once
        mark = BuildStats.mark();
        tracesAtOpen = HostTraces.now();
        open = true;
        if (setting(Settings.WARMUP)) {
            warmUp();
        } else {
            warmedUp.complete(null);
        }
    }

    @Override
    public void launcherDiscoveryStarted(LauncherDiscoveryRequest request) {
        Settings.configure(request.getConfigurationParameters()::get);
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (mark == null) {
            return;
        }
        open = false;
        if (current == this) {
            current = null;
        }
        // Routers kept for a next network that will not come: nothing of Isonet stays on the host.
        IdleRouters.evictAll();
        if (!setting(Settings.SUMMARY)) {
            return;
        }
        BuildStats.Summary built = BuildStats.since(mark);
        if (built.networks() == 0) {
            return;
        }
        List<String> left = leftOnTheHost();
        LOG.log(System.Logger.Level.INFO, String.format("isonet: %d network%s, %d node%s built; setup median %.1f ms,"
                        + " p99 %.1f ms; %s", built.networks(), built.networks() == 1 ? "" : "s", built.nodes(),
                built.nodes() == 1 ? "" : "s", built.medianNanos() / 1e6, built.p99Nanos() / 1e6,
                left.isEmpty() ? "nothing left on the host" : "left on the host: " + String.join(", ", left)));
    }

    /**
     * Starts loading the native binding, making spares and going once through the subnet lease (nothing of it is
     * seen on the host), on a daemon thread, unless Isonet cannot run here.
     */
    private void warmUp() {
        if (Privileges.problem() != null) {
            return; // the first networked test says what is missing
        }
        current = this;
        Thread thread = new Thread(() -> {
            try {
                ClassLoader loader = IsonetSessionListener.class.getClassLoader();
                Class.forName("dev.isonet.internal.linux.LibC", true, loader);
                Spares.refill();
                for (String name : FIRST_NETWORK_CLASSES) {
                    try {
                        Class.forName(name, true, loader);
                    } catch (ClassNotFoundException e) {
                        LOG.log(System.Logger.Level.DEBUG, "isonet: warm-up: no class " + name);
                    }
                }
                IdleRouters.warmUpLease(pool(), prefix());
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // The first network meets the same problem and reports it where a test sees it.
                LOG.log(System.Logger.Level.DEBUG, "isonet: warm-up failed", e);
            } finally {
                warmedUp.complete(null); // a networked plan's warm-up network need not wait for what follows
            }
            try {
                Confinement.collectLeftovers(); // what containers of killed JVMs left: cgroups, upper layers
            } catch (RuntimeException | LinkageError e) {
                LOG.log(System.Logger.Level.DEBUG, "isonet: warm-up could not collect leftovers", e);
            }
        }, "isonet-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The session's test plan has networked tests ({@link NetworkedTestPlan}): once the warm-up is done, builds and
     * closes one network with the default pool, prefix and NAT (not counted in the summary) on a daemon thread. Its
     * router is kept, with nodes made ahead, for the session's first network (at most 30 s; dropped when the
     * session closes). A session without networked tests never puts anything on the host.
     */
    static void planHasNetworks() {
        IsonetSessionListener session = current;
        if (session == null || !session.open || !setting(Settings.WARMUP)) {
            return;
        }
        session.warmedUp.thenRun(() -> {
            Thread thread = new Thread(session::warmUpNetwork, "isonet-warmup-network");
            thread.setDaemon(true);
            thread.start();
        });
    }

    private void warmUpNetwork() {
        try {
            IdleRouters.warmUp(pool(), prefix(), true, () -> open, () -> BuildStats.uncounted(() -> {
                Network network = Network.builder().node("isonet-warm-up").build();
                network.close();
            }));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "isonet: warm-up could not build a network", e);
        }
    }

    private static Subnet pool() {
        return Subnet.parseNetwork("pool", Settings.SUBNET_POOL.value());
    }

    private static int prefix() {
        return Settings.SUBNET_PREFIX.intValue(8, 29);
    }

    /**
     * What networks built in this session still leave on the host, once the kernel has had a bounded time to
     * reap them: host links that were not there when the session opened, and threads in node namespaces.
     */
    private List<String> leftOnTheHost() {
        long deadline = System.nanoTime() + REAPING_WAIT_MILLIS * 1_000_000;
        List<String> left;
        while (true) {
            left = new ArrayList<>(HostTraces.now());
            left.removeAll(tracesAtOpen);
            if (left.isEmpty() || System.nanoTime() > deadline) {
                return left;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return left;
            }
        }
    }

    /** A boolean setting; an invalid value is logged and counts as the default. */
    private static boolean setting(Settings.Setting setting) {
        try {
            return setting.enabled();
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
            return Boolean.parseBoolean(setting.defaultValue());
        }
    }

    /** The first junit-platform.properties on the class path, as JUnit reads it; empty if there is none. */
    private static Properties propertiesFile() {
        Properties properties = new Properties();
        ClassLoader loader = Optional.ofNullable(Thread.currentThread().getContextClassLoader())
                .orElse(IsonetSessionListener.class.getClassLoader());
        URL file = loader.getResource(PROPERTIES_FILE);
        if (file != null) {
            try (InputStream in = file.openStream()) {
                properties.load(in);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "isonet: cannot read " + file, e);
            }
        }
        return properties;
    }
}
