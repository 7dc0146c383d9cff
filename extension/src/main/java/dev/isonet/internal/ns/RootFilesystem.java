package dev.isonet.internal.ns;

import dev.isonet.IsonetException;
import dev.isonet.internal.OwnerTag;
import dev.isonet.internal.linux.LibC;
import dev.isonet.internal.linux.LinuxException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node's root filesystem: a mount namespace, held by an fd, whose root is an overlay of a directory (the lower
 * layer, never written) and an upper directory that takes every change, in a temporary directory of the node
 * ({@code java.io.tmpdir/isonet-<pid>-<start>-<n>-<node>}, removed when the node closes).
 *
 * <p>Built from a JVM thread, without a setup process and without util-linux: the thread unshares its fs state,
 * enters the process namespace's mount namespace (whose /proc is that of the node's PID namespace) and the node's
 * network namespace (sysfs shows the network namespace of whoever mounts it), unshares a new mount namespace,
 * mounts the overlay and, inside it, the /proc of the PID namespace (bound: a /proc mounted by a JVM thread would
 * be the host's PID namespace's), a small /dev (tmpfs with null, zero, full, random, urandom and tty bound from
 * the host, a devpts instance of its own with ptmx, a tmpfs /dev/shm), /sys read-only, a tmpfs /tmp and the node's
 * hosts file and resolv.conf; then pivots into it and detaches the old root, and goes back to the host. Processes
 * join it with {@code nsenter --mount=fd}. When the fd is closed and its processes are gone, the kernel unmounts it
 * all.
 */
final class RootFilesystem implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final List<String> DEVICES = List.of("null", "zero", "full", "random", "urandom", "tty");
    /** What glibc's execvp searches when the environment has no PATH. */
    private static final String DEFAULT_PATH = "/bin:/usr/bin";

    private final String description;
    private final Path lower;
    private final Path dir;
    private final int mntFd;
    private final int rootFd;
    private final long buildNanos;

    private RootFilesystem(String description, Path lower, Path dir, int mntFd, int rootFd, long buildNanos) {
        this.description = description;
        this.lower = lower;
        this.dir = dir;
        this.mntFd = mntFd;
        this.rootFd = rootFd;
        this.buildNanos = buildNanos;
    }

    /** The directory under which Isonet keeps nodes' upper layers: java.io.tmpdir. */
    static Path temporaryDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Builds the root of node {@code name} from {@code lower}, inside the process namespace whose mount namespace
     * is {@code initMnt}, for the network namespace {@code netFd}. Fails naming the node, the root and the cause,
     * leaving nothing behind.
     */
    static RootFilesystem build(String name, String description, Path lower, int initMnt, int netFd) {
        String what = description + ": rootfs " + lower;
        if (!Files.isDirectory(lower)) {
            throw new IsonetException(what + ": " + (Files.exists(lower) ? "not a directory" : "no such directory"));
        }
        long start = System.nanoTime();
        Path dir = temporaryDirectory().resolve(OwnerTag.mine() + "-" + SEQUENCE.incrementAndGet() + "-" + name);
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            for (String part : List.of("upper", "work", "lower", "root")) {
                Files.createDirectory(dir.resolve(part));
            }
            // The upper layer's top directory is the root's: give it the lower one's owner and mode.
            Path upper = dir.resolve("upper");
            Files.setPosixFilePermissions(upper, Files.getPosixFilePermissions(lower));
            Files.setAttribute(upper, "unix:uid", Files.getAttribute(lower, "unix:uid"));
            Files.setAttribute(upper, "unix:gid", Files.getAttribute(lower, "unix:gid"));
        } catch (IOException | RuntimeException e) {
            delete(dir);
            throw new IsonetException(what + ": cannot make its upper directory in " + temporaryDirectory() + ": "
                    + e.getMessage(), e);
        }
        try {
            int hostProc = HostProc.FD; // opened here, on the host, before any thread leaves it
            int[] fds = HostNamespaces.onHostThread(() -> mountAll(lower, dir, initMnt, netFd, hostProc));
            return new RootFilesystem(description, lower, dir, fds[0], fds[1], System.nanoTime() - start);
        } catch (RuntimeException e) {
            delete(dir);
            throw new IsonetException(what + ": " + e.getMessage() + advice(e), e);
        }
    }

    private static String advice(RuntimeException e) {
        if (e instanceof LinuxException linux && linux.object() != null && linux.object().contains("(overlay)")) {
            return ". The upper directory is in java.io.tmpdir (" + temporaryDirectory() + "): overlayfs needs it on"
                    + " a file system such as ext4, xfs or tmpfs (not on another overlay); set java.io.tmpdir"
                    + " elsewhere if needed";
        }
        return "";
    }

    /** On a host thread: returns the new mount namespace's fd and an O_PATH fd of its root. */
    private static int[] mountAll(Path lower, Path dir, int initMnt, int netFd, int hostProc) {
        LibC.unshare(LibC.CLONE_FS, "own filesystem state for a root filesystem");
        int mnt = -1;
        try {
            LibC.setns(initMnt, LibC.CLONE_NEWNS, "mount namespace of the process namespace");
            LibC.setns(netFd, LibC.CLONE_NEWNET, "network namespace of the node");
            LibC.unshare(LibC.CLONE_NEWNS, "mount namespace for the root filesystem");
            LibC.mount(null, "/", null, LibC.MS_REC | LibC.MS_PRIVATE, null);
            // Its /proc is the PID namespace's, where this thread does not exist: name it through the host's.
            mnt = LibC.openat(hostProc, "thread-self/ns/mnt", LibC.O_RDONLY | LibC.O_CLOEXEC);
            String layer = dir.resolve("lower").toString();
            String root = dir.resolve("root").toString();
            // A read-only view of the lower layer, under a name the overlay options can hold whatever the path.
            LibC.mount(lower.toString(), layer, null, LibC.MS_BIND, null);
            LibC.mount(null, layer, null, LibC.MS_REMOUNT | LibC.MS_BIND | LibC.MS_RDONLY, null);
            LibC.mount("overlay", root, "overlay", 0, "lowerdir=" + layer + ",upperdir=" + dir.resolve("upper")
                    + ",workdir=" + dir.resolve("work"));
            Path r = Path.of(root);
            LibC.mount("/proc", directory(r, "proc"), null, LibC.MS_BIND | LibC.MS_REC, null);
            String dev = directory(r, "dev");
            LibC.mount("isonet-dev", dev, "tmpfs", LibC.MS_NOSUID | LibC.MS_NOEXEC, "mode=755,size=64k");
            for (String device : DEVICES) {
                if (Files.exists(Path.of("/dev", device))) {
                    Files.createFile(Path.of(dev, device));
                    LibC.mount("/dev/" + device, dev + "/" + device, null, LibC.MS_BIND, null);
                }
            }
            Files.createDirectory(Path.of(dev, "pts"));
            LibC.mount("devpts", dev + "/pts", "devpts", LibC.MS_NOSUID | LibC.MS_NOEXEC,
                    "newinstance,ptmxmode=0666,mode=0620");
            Files.createSymbolicLink(Path.of(dev, "ptmx"), Path.of("pts/ptmx"));
            Files.createDirectory(Path.of(dev, "shm"));
            LibC.mount("shm", dev + "/shm", "tmpfs", LibC.MS_NOSUID | LibC.MS_NODEV, "mode=1777");
            Files.createSymbolicLink(Path.of(dev, "fd"), Path.of("/proc/self/fd"));
            List<String> streams = List.of("stdin", "stdout", "stderr");
            for (int fd = 0; fd < streams.size(); fd++) {
                Files.createSymbolicLink(Path.of(dev, streams.get(fd)), Path.of("/proc/self/fd/" + fd));
            }
            LibC.mount("sysfs", directory(r, "sys"), "sysfs",
                    LibC.MS_RDONLY | LibC.MS_NOSUID | LibC.MS_NODEV | LibC.MS_NOEXEC, null);
            LibC.mount("tmp", directory(r, "tmp"), "tmpfs", LibC.MS_NOSUID | LibC.MS_NODEV, "mode=1777");
            for (String file : List.of("/etc/hosts", "/etc/resolv.conf")) {
                if (Files.exists(Path.of(file))) {
                    directory(r, "etc");
                    LibC.mount(file, regularFile(r, file.substring(1)), null, LibC.MS_BIND, null);
                }
            }
            LibC.chdir(root);
            LibC.pivotRoot(".", ".");
            LibC.umount2(".", LibC.MNT_DETACH); // the old root, stacked on the new one
            LibC.chdir("/");
            int rootFd = LibC.open("/", LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
            return new int[] {mnt, rootFd};
        } catch (IOException e) {
            LibC.close(mnt);
            throw new IllegalStateException(e.getMessage(), e);
        } catch (RuntimeException e) {
            LibC.close(mnt);
            throw e;
        } finally {
            MountNamespaces.backToHost();
        }
    }

    /** {@code root/name} as a directory to mount on: made (in the upper layer) if missing, a symlink replaced. */
    private static String directory(Path root, String name) throws IOException {
        Path path = root.resolve(name);
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(path);
            Files.createDirectory(path);
        }
        return path.toString();
    }

    /** {@code root/name} as a file to bind over: made if missing; a symlink (it could lead out) replaced. */
    private static String regularFile(Path root, String name) throws IOException {
        Path path = root.resolve(name);
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(path);
            Files.createFile(path);
        }
        return path.toString();
    }

    int mountFd() {
        return mntFd;
    }

    /** The upper layer: every file the node's processes made or changed in their root, as the host sees it. */
    Path changes() {
        return dir.resolve("upper");
    }

    Path lower() {
        return lower;
    }

    long buildNanos() {
        return buildNanos;
    }

    /**
     * The nsenter option that starts a process in {@code directory} of this root. {@code --wd} would not do: nsenter
     * opens its directory before it enters the namespaces, so it would name the host's. {@code --wdns} (util-linux
     * 2.38+) changes directory inside; an older nsenter gets the directory through this JVM's fd of the root.
     */
    String workingDirectoryOption(String directory) {
        if (NsenterWdns.SUPPORTED) {
            return "--wdns=" + directory;
        }
        return "--wd=" + HostNamespaces.fdPath(rootFd) + (directory.startsWith("/") ? "" : "/") + directory;
    }

    /**
     * Fails as {@link ProcessBuilder#start()} does for a missing program, naming the node, the program and the root,
     * unless {@code command}'s program is an executable file in this root (searched on {@code env}'s PATH, as
     * execvp does) and {@code directory} a directory there. Symlinks resolve inside the root.
     */
    void checkProgram(List<String> command, String directory, Map<String, String> env) throws IOException {
        String program = command.get(0);
        String cannot = "Cannot run program \"" + program + "\" in " + description + ": ";
        if (!isDirectory(directory)) {
            throw new IOException(cannot + "its working directory " + directory + " is not a directory in the node's"
                    + " root filesystem " + lower);
        }
        if (program.contains("/")) {
            String path = program.startsWith("/") ? program : directory + "/" + program;
            if (!isExecutable(path)) {
                throw new IOException(cannot + "there is no executable " + path + " in the node's root filesystem "
                        + lower);
            }
            return;
        }
        String searched = env.getOrDefault("PATH", DEFAULT_PATH);
        for (String entry : searched.split(":", -1)) {
            String in = entry.isEmpty() ? directory : entry.startsWith("/") ? entry : directory + "/" + entry;
            if (isExecutable(in + "/" + program)) {
                return;
            }
        }
        throw new IOException(cannot + "no executable " + program + " in the node's root filesystem " + lower
                + " (searched PATH " + searched + ")");
    }

    private boolean isExecutable(String path) {
        return check(path, file -> Files.isRegularFile(file) && Files.isExecutable(file));
    }

    private boolean isDirectory(String path) {
        return check(path, Files::isDirectory);
    }

    /** Opens {@code path} inside the root and tests it through /proc/self/fd; true where openat2 is missing. */
    private boolean check(String path, java.util.function.Predicate<Path> test) {
        int fd;
        try {
            fd = LibC.openInRoot(rootFd, path);
        } catch (LinuxException e) {
            return false;
        }
        if (fd < 0) {
            return true; // a kernel before 5.6: exec will tell
        }
        try {
            return test.test(Path.of("/proc/self/fd/" + fd));
        } finally {
            LibC.close(fd);
        }
    }

    /** Releases the namespace (the kernel unmounts the overlay once its processes are gone) and the upper layer. */
    @Override
    public void close() {
        LibC.close(rootFd);
        LibC.close(mntFd);
        delete(dir);
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                    Files.delete(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "isonet: could not remove " + dir + ": " + e);
        }
    }

    /** Every temporary directory named after an owner ({@code isonet-<pid>-<start>...}), live or not. */
    static List<Path> temporaryDirectories() {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(temporaryDirectory(), OwnerTag.PREFIX + "*")) {
            for (Path entry : entries) {
                if (OwnerTag.isTagged(entry.getFileName().toString())) {
                    found.add(entry);
                }
            }
        } catch (IOException e) {
            // no temporary directory: nothing in it
        }
        return found;
    }

    /** Removes the temporary directories of JVMs that are gone. Returns what it removed. */
    static List<Path> collectLeftovers() {
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(temporaryDirectory(), OwnerTag.PREFIX + "*")) {
            for (Path entry : entries) {
                if (OwnerTag.ownerGone(entry.getFileName().toString())
                        && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    delete(entry);
                    removed.add(entry);
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "isonet: cannot search " + temporaryDirectory() + " for leftovers", e);
        }
        if (!removed.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "isonet: removed " + removed.size() + " temporary directories left by"
                    + " JVMs that are gone: " + removed);
        }
        return removed;
    }

    @Override
    public String toString() {
        return "root filesystem of " + description + " from " + lower + ", changes in " + changes();
    }

    /** Whether this nsenter has --wdns, from its help text (run once, through the spawner thread). */
    private static final class NsenterWdns {
        static final boolean SUPPORTED = detect();

        private static boolean detect() {
            try {
                Process help = Spawner.start(List.of(Spawner.NSENTER, "--help"), new ProcessBuilder()
                        .redirectErrorStream(true), "the host");
                String text = new String(help.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                help.waitFor();
                return text.contains("--wdns");
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** The host's /proc, opened once: through it a thread names its namespaces wherever it is. */
    private static final class HostProc {
        static final int FD = LibC.open("/proc", LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
    }
}
