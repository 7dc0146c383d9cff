package dev.isonet.internal.ns;

import dev.isonet.internal.linux.Capabilities;
import dev.isonet.internal.linux.LibC;
import dev.isonet.internal.linux.LinuxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A node's own mount namespace: a copy of the host's tree (slave, so the host's unmounts still reach it) with
 * the node's /etc/hosts and /etc/resolv.conf bound over the host's. The node's JVM threads and processes
 * live in it, so the system resolver (glibc, and with it the JDK's) finds node names there.
 *
 * <p>A JVM thread can join a mount namespace only after unsharing its fs_struct (CLONE_FS), and joining sets
 * its working directory to the namespace's root: it is set back to the JVM's own (user.dir) at once.
 * Joining needs CAP_SYS_CHROOT as well as CAP_SYS_ADMIN; without it nodes keep the host's files.
 */
final class MountNamespaces {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    /** Read once: a process gains no capability mid-run, and each node would read /proc/self/status again. */
    private static final boolean CAPABLE = Capabilities.has(Capabilities.effective(), Capabilities.CAP_SYS_CHROOT);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final int HOST_MNT_FD = LibC.open("/proc/self/ns/mnt", LibC.O_RDONLY | LibC.O_CLOEXEC);
    private static final int USER_DIR_FD = openUserDir();
    /** Where the namespace's own tmpfs is mounted while its files are made; the host's stays as it was. */
    private static final String SCRATCH = "/tmp";

    private MountNamespaces() {}

    private static int openUserDir() {
        try {
            return LibC.open(System.getProperty("user.dir"), LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
        } catch (LinuxException e) {
            return -1;
        }
    }

    /** Whether this process may join mount namespaces (CAP_SYS_CHROOT); warns once where it may not. */
    static boolean available() {
        if (!CAPABLE && WARNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "Isonet lacks CAP_SYS_CHROOT: nodes keep the host's /etc/hosts"
                    + " and /etc/resolv.conf, so node names do not resolve inside nodes; use"
                    + " network.address(name), or grant CAP_SYS_CHROOT (root and Docker's defaults have it)");
        }
        return CAPABLE;
    }

    /** A made namespace: its fd, and an fd for each file bound into it, by target path. */
    record Made(int mntFd, java.util.Map<String, Integer> files) {}

    /**
     * Makes one, on a host thread that comes back to the host's tree. Each file of {@code files} (target path
     * to content) is made on a tmpfs of the namespace's own and bound over its target, then the tmpfs is
     * detached from the tree: the binds and the returned fds keep the files, and the host never sees them.
     */
    static Made create(java.util.Map<String, String> files, String what) {
        return HostNamespaces.onHostThread(() -> {
            LibC.unshare(LibC.CLONE_FS, "own filesystem state for " + what);
            LibC.unshare(LibC.CLONE_NEWNS, "mount namespace for " + what);
            java.util.Map<String, Integer> fds = new java.util.LinkedHashMap<>();
            try {
                LibC.mount(null, "/", null, LibC.MS_REC | LibC.MS_SLAVE, null);
                LibC.mount("isonet", SCRATCH, "tmpfs", LibC.MS_NOSUID | LibC.MS_NODEV | LibC.MS_NOEXEC,
                        "size=1m,mode=755");
                int i = 0;
                for (java.util.Map.Entry<String, String> file : files.entrySet()) {
                    if (!Files.exists(Path.of(file.getKey()))) {
                        continue; // nothing to bind over
                    }
                    Path made = Path.of(SCRATCH, "file" + i++);
                    Files.writeString(made, file.getValue());
                    LibC.mount(made.toString(), file.getKey(), null, LibC.MS_BIND, null);
                    fds.put(file.getKey(), LibC.open(made.toString(), LibC.O_RDWR | LibC.O_CLOEXEC));
                }
                LibC.umount2(SCRATCH, LibC.MNT_DETACH);
                return new Made(LibC.open("/proc/thread-self/ns/mnt", LibC.O_RDONLY | LibC.O_CLOEXEC), fds);
            } catch (Exception e) {
                fds.values().forEach(LibC::close);
                throw e;
            } finally {
                backToHost();
            }
        });
    }

    /** Joins {@code mntFd} on the calling thread, keeping its working directory. */
    static void enter(int mntFd, String what) {
        LibC.unshare(LibC.CLONE_FS, "own filesystem state for " + what);
        LibC.setns(mntFd, LibC.CLONE_NEWNS, "mount namespace of " + what);
        if (USER_DIR_FD >= 0) {
            LibC.fchdir(USER_DIR_FD, "the JVM's working directory");
        }
    }

    /** Back to the JVM's own mount namespace and working directory (on a thread that unshared CLONE_FS). */
    static void backToHost() {
        LibC.setns(HOST_MNT_FD, LibC.CLONE_NEWNS, "host mount namespace");
        if (USER_DIR_FD >= 0) {
            LibC.fchdir(USER_DIR_FD, "the JVM's working directory");
        }
    }

    /** The path by which processes (nsenter) open the namespace an fd of this JVM holds. */
    static String fdPath(int fd) {
        return HostNamespaces.fdPath(fd);
    }
}
