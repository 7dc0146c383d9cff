package dev.isonet.internal.ns;

import dev.isonet.IsonetException;
import dev.isonet.internal.cgroups.NodeCgroup;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What confines a node's processes beyond the process namespace every node has: its root filesystem and its
 * cgroup, each optional. Built right after the process namespace, before any process starts, and closed after it.
 */
public final class Confinement implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    private static final AtomicBoolean COLLECTED = new AtomicBoolean();

    private final RootFilesystem root;
    private final NodeCgroup cgroup;

    private Confinement(RootFilesystem root, NodeCgroup cgroup) {
        this.root = root;
        this.cgroup = cgroup;
    }

    /**
     * Builds what {@code options} ask for around {@code sandbox} and makes it the one its processes join. Fails
     * naming the node, the option and the cause, with everything it made released.
     */
    static Confinement build(String name, String description, ContainerOptions options, ProcessSandbox sandbox,
            NamespaceFds fds) {
        if (COLLECTED.compareAndSet(false, true)) {
            collectLeftovers();
        }
        RootFilesystem root = null;
        NodeCgroup cgroup = null;
        try {
            if (options.rootfs() != null) {
                if (!MountNamespaces.available()) {
                    throw new IsonetException(description + ": rootfs " + options.rootfs() + " needs CAP_SYS_CHROOT"
                            + " (to enter mount namespaces), which root and Docker's defaults have");
                }
                RootFilesystem built = RootFilesystem.build(name, description, options.rootfs(), sandbox.initMountFd(),
                        fds.net());
                root = built;
                LOG.log(System.Logger.Level.DEBUG, () -> String.format("isonet: built %s in %.1f ms", built,
                        built.buildNanos() / 1e6));
            }
            if (options.limits().any()) {
                cgroup = NodeCgroup.create(name, description, options.limits());
            }
        } catch (RuntimeException e) {
            if (root != null) {
                root.close();
            }
            throw e;
        }
        sandbox.confine(root, cgroup == null ? List.of() : cgroup.placement());
        return new Confinement(root, cgroup);
    }

    /**
     * Removes what containers of JVMs that are gone left behind (those JVMs were killed): their cgroups, after
     * killing what still runs there, and their temporary directories. Runs once per JVM before its first container,
     * and at the start of a JUnit session. Returns what it removed.
     */
    public static List<Path> collectLeftovers() {
        COLLECTED.set(true);
        List<Path> removed = new java.util.ArrayList<>(NodeCgroup.collectLeftovers());
        removed.addAll(RootFilesystem.collectLeftovers());
        return removed;
    }

    /** Isonet's temporary directories there are now (upper layers of root filesystems), for the leak check. */
    public static List<Path> temporaryDirectories() {
        return RootFilesystem.temporaryDirectories();
    }

    /**
     * Where a process starts: {@code requested} (inside the root: a relative one from its top), else its top;
     * null without a root filesystem (the caller's default stands).
     */
    String workingDirectory(File requested) {
        if (root == null) {
            return null;
        }
        if (requested == null) {
            return "/";
        }
        return requested.isAbsolute() ? requested.getPath() : "/" + requested.getPath();
    }

    /** Fails naming the node, the program and the root unless the program can run in the root (if any). */
    void checkProgram(List<String> command, String directory, Map<String, String> env) throws IOException {
        if (root != null && !command.isEmpty()) {
            root.checkProgram(command, directory, env);
        }
    }

    /** The upper layer of the root filesystem (what the node's processes changed), or null without one. */
    public Path rootfsChanges() {
        return root == null ? null : root.changes();
    }

    /** OOM kills in the node's cgroup; 0 without a memory limit. Kept after close. */
    public long oomKills() {
        return cgroup == null ? 0 : cgroup.oomKills();
    }

    /** Forks the pids limit refused; 0 without one. Kept after close. */
    public long forksRefused() {
        return cgroup == null ? 0 : cgroup.forksRefused();
    }

    /** The node's cgroups, as /proc/PID/cgroup names them; empty without limits. */
    public List<String> cgroups() {
        return cgroup == null ? List.of() : cgroup.paths();
    }

    /** The node's cgroup directories, one per hierarchy; empty without limits. */
    public List<Path> cgroupDirectories() {
        return cgroup == null ? List.of() : cgroup.directories();
    }

    /** After the process namespace is gone: empties and removes the cgroup, then releases the root. */
    @Override
    public void close() {
        try {
            if (cgroup != null) {
                cgroup.close();
            }
        } finally {
            if (root != null) {
                root.close();
            }
        }
    }
}
