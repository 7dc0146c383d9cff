package dev.isonet.internal.diagnostics;

import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.internal.linux.LibC;
import dev.isonet.internal.ns.Namespace;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A network left up for a person to look into: each node's and the router's network namespace bind-mounted at
 * {@code /run/netns/isonet-<test>-<node>}, where {@code ip netns exec} and {@code nsenter --net=} find it.
 * {@link #close()} unmounts and removes them; so does a shutdown hook, if the JVM ends first (Ctrl-C). A JVM
 * killed with SIGKILL leaves the mounts behind: {@code umount /run/netns/isonet-* && rm /run/netns/isonet-*}.
 */
public final class KeptNetwork implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    static final Path NETNS = Path.of("/run/netns");
    private static final Set<KeptNetwork> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile boolean hooked;

    /** One namespace: who it is, where it is mounted, and the commands that enter it. */
    public record Entry(String who, Path mount, List<String> commands) {}

    private final List<Entry> entries;
    private boolean closed;

    private KeptNetwork(List<Entry> entries) {
        this.entries = entries;
    }

    /** Mounts the namespaces of {@code network}'s router and nodes under names made from {@code test}. */
    public static KeptNetwork keep(Network network, String test) {
        hook();
        NetworkAccess.Internals internals = NetworkAccess.of(network);
        String prefix = "isonet-" + safe(test);
        long pid = ProcessHandle.current().pid();
        List<Entry> entries = new ArrayList<>();
        KeptNetwork kept = new KeptNetwork(entries);
        OPEN.add(kept);
        try {
            Files.createDirectories(NETNS);
            for (Node node : network.nodes()) {
                Namespace namespace = internals.namespace(node);
                namespace.ensureHostname(); // a node no thread or process used yet still says "spare"
                Path mount = mount(prefix + "-" + safe(node.name()), namespace.fds().net());
                String name = mount.getFileName().toString();
                String nsenter = "nsenter --net=" + mount + " --uts=/proc/" + pid + "/fd/" + namespace.fds().uts()
                        + (namespace.mountFd() >= 0 ? " --mount=/proc/" + pid + "/fd/" + namespace.mountFd() : "");
                entries.add(new Entry("node '" + node.name() + "' (" + node.ipv4().getHostAddress() + ")", mount,
                        List.of("ip netns exec " + name + " bash", nsenter + " bash")));
            }
            Path router = mount(prefix + "-router", internals.routerNetFd());
            entries.add(new Entry("the router (bridge br0, gateway " + network.gateway().getHostAddress() + ")",
                    router, List.of("ip netns exec " + router.getFileName() + " bash",
                            "nsenter --net=" + router + " bash")));
            return kept;
        } catch (IOException | RuntimeException e) {
            kept.close();
            throw new IllegalStateException("could not keep network " + network.subnet() + " for a look: "
                    + e.getMessage(), e);
        }
    }

    /** A new file at {@code /run/netns/<name>} (or {@code <name>-2}, ...) with the namespace bound onto it. */
    private static Path mount(String name, int fd) throws IOException {
        for (int n = 1; ; n++) {
            Path file = NETNS.resolve(n == 1 ? name : name + "-" + n);
            try {
                Files.createFile(file);
            } catch (FileAlreadyExistsException e) {
                continue;
            }
            try {
                LibC.mount("/proc/self/fd/" + fd, file.toString(), null, LibC.MS_BIND, null);
            } catch (RuntimeException e) {
                Files.deleteIfExists(file);
                throw e;
            }
            return file;
        }
    }

    /** Characters that are safe in a file name and a shell word; at most 40 of them. */
    static String safe(String text) {
        String safe = text.replaceAll("[^A-Za-z0-9_.-]+", "_");
        return safe.length() > 40 ? safe.substring(0, 40) : safe;
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** What to type to enter each namespace, one per line, as the log shows it. */
    public synchronized String commands() {
        StringBuilder out = new StringBuilder();
        for (Entry entry : entries) {
            out.append(entry.who()).append(":\n");
            for (String command : entry.commands()) {
                out.append("    ").append(command).append('\n');
            }
        }
        return out.toString();
    }

    /** Unmounts and removes every mount point. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.remove(this);
        for (Entry entry : entries) {
            try {
                LibC.umount2(entry.mount().toString(), LibC.MNT_DETACH);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "isonet: could not unmount " + entry.mount() + ": " + e.getMessage());
            }
            try {
                Files.deleteIfExists(entry.mount());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "isonet: could not remove " + entry.mount() + ": " + e.getMessage());
            }
        }
    }

    private static void hook() {
        if (hooked) {
            return;
        }
        synchronized (KeptNetwork.class) {
            if (!hooked) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(KeptNetwork::close),
                        "isonet-kept-networks"));
                hooked = true;
            }
        }
    }
}
