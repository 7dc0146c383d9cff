package dev.isonet.internal.ns;

import dev.isonet.ExecResult;
import dev.isonet.NodeClosedException;
import dev.isonet.internal.linux.LibC;
import dev.isonet.internal.linux.LinuxException;
import dev.isonet.internal.netlink.Request;
import dev.isonet.internal.netlink.SockDiag;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import dev.isonet.internal.names.NetworkNames;
import dev.isonet.internal.names.ResolvConf;

/**
 * A node's namespaces and everything that runs in them: its JVM threads (created on first use), its own mount
 * namespace (made on first use, with the node's hosts file), and the process namespace its processes live in.
 * One lock guards "open": threads enter, tasks are accepted and processes start only while it is open, and
 * closing flips it before anything is released.
 */
public final class Namespace implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    private static final long SPIN_NANOS = 30_000;
    /** exec() keeps at most this much of each stream. */
    private static final int EXEC_OUTPUT_LIMIT = 64 << 20;

    private final String name;
    private final String description;
    private final NamespaceFds fds;
    private final NetworkNames names;
    private final String identity;
    private final NamespaceThreads threads;
    private final NamespacePool pool;
    private final ExecutorService executor;
    private final Set<CompletableFuture<?>> calls = ConcurrentHashMap.newKeySet();
    private final AtomicInteger processCount = new AtomicInteger();
    private final Set<SandboxedProcess> processes = ConcurrentHashMap.newKeySet();
    /** Serializes making the mount and process namespaces, which take a while; never held with {@code this}. */
    private final Object setup = new Object();
    private int starting;
    private boolean closed;
    /** Set once a JVM thread entered: only then can JVM sockets live in the namespace. */
    private boolean javaRan;
    /** Whether the UTS namespace's hostname is {@link #name} yet; set on first use, see {@link #hostnameIsNow}. */
    private boolean hostnameSet = true;
    private int mountFd = -1;
    private AutoCloseable hostsFollowed;
    private boolean mountTried;
    private Thread anchor;
    private ProcessSandbox sandbox;
    private final ContainerOptions container;
    private volatile Confinement confinement;

    /**
     * {@code description} names it in messages, as "node 'server'"; {@code names} are those of its network, for
     * its own /etc/hosts (null for none: it keeps the host's files).
     */
    public Namespace(String name, String description, NamespaceFds fds, NetworkNames names) {
        this(name, description, fds, names, ContainerOptions.NONE);
    }

    /** With a root filesystem and limits for its processes ({@link #startContainer()} builds them). */
    public Namespace(String name, String description, NamespaceFds fds, NetworkNames names, ContainerOptions container) {
        this.container = container;
        this.name = name;
        this.description = description;
        this.fds = fds;
        this.names = names;
        // Read while the fd is open, kept for after: a closed fd number may soon name something else.
        this.identity = ThreadsInNamespaces.identity(fds.net());
        this.threads = new NamespaceThreads(this);
        this.pool = new NamespacePool(description, threads);
        this.executor = new NamespaceExecutor(description, pool);
    }

    public String name() {
        return name;
    }

    public NamespaceFds fds() {
        return fds;
    }

    /** The grace period that closing gives processes: the setting {@code isonet.stop.grace}, read when closing. */
    public Duration stopGrace() {
        return settingGrace();
    }

    /** The setting's grace; an invalid value (already reported where settings are checked) counts as the default. */
    public static Duration settingGrace() {
        try {
            return dev.isonet.internal.Settings.STOP_GRACE.durationValue();
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
            return Duration.ofSeconds(2);
        }
    }

    /**
     * Says that the UTS namespace's hostname is {@code current} (a namespace made ahead is "spare"): if that is
     * not the name, the first thread that enters sets it, and so does the first process's start, which spares
     * building a node a hand-off to a thread that enters only for that. Call it before the namespace is used.
     */
    public synchronized void hostnameIsNow(String current) {
        hostnameSet = name.equals(current);
    }

    /**
     * Sets the hostname now, if no thread or process has yet: before the first process starts, and before anything
     * outside Isonet can see the namespace (a kept network's mounts).
     */
    public void ensureHostname() {
        synchronized (this) {
            if (hostnameSet || closed || fds.uts() < 0) {
                return;
            }
            // Under the lock: close() cannot release the fds meanwhile; the hand-off takes no lock of ours.
            try {
                HostNamespaces.setHostname(fds, name).join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
            }
            hostnameSet = true;
        }
    }

    /** Fails with {@link NodeClosedException} once closed. */
    public synchronized void ensureOpen() {
        if (closed) {
            throw closedException();
        }
    }

    private NodeClosedException closedException() {
        return new NodeClosedException(description + " is closed");
    }

    /** Enters the namespaces on the calling (dedicated, new) thread; false, without entering, once closed. */
    synchronized boolean enter() {
        if (closed) {
            return false;
        }
        javaRan = true;
        // Under the lock: close() cannot release the fds meanwhile.
        if (mountFd >= 0) {
            MountNamespaces.enter(mountFd, name);
        }
        fds.enter(name);
        if (!hostnameSet && fds.uts() >= 0) {
            LibC.sethostname(name); // this thread is in the node's UTS namespace now
            hostnameSet = true;
        }
        return true;
    }

    /**
     * Makes the node's mount namespace, once, before the first thread or process needs it, with a thread that
     * anchors the node's view of /proc/net in it (so JDK code on node threads lists the node's interfaces).
     */
    void prepare() {
        if (names == null) {
            return;
        }
        synchronized (setup) {
            synchronized (this) {
                if (mountTried || closed) {
                    return;
                }
                mountTried = true;
            }
            if (!MountNamespaces.available()) {
                return;
            }
            MountNamespaces.Made made = MountNamespaces.create(java.util.Map.of(
                    "/etc/hosts", names.content(), "/etc/resolv.conf", ResolvConf.content()), description);
            made.files().forEach((target, fd) -> {
                if (!target.equals("/etc/hosts")) {
                    LibC.close(fd); // written once
                }
            });
            Integer hosts = made.files().get("/etc/hosts");
            try {
                synchronized (this) {
                    if (closed) {
                        LibC.close(made.mntFd());
                        return;
                    }
                    mountFd = made.mntFd();
                    if (hosts != null) {
                        hostsFollowed = names.follow(HostNamespaces.fdPath(hosts)); // opens it anew
                    }
                }
            } finally {
                if (hosts != null) {
                    LibC.close(hosts);
                }
            }
            startAnchor();
        }
    }

    /**
     * {@code /proc/net} is {@code /proc/self/net}: the JVM's main thread's view, the host's. In the node's mount
     * namespace it is bound to the net directory of a thread that lives inside the node as long as the node,
     * so that it shows the node's interfaces (NetworkInterface reads IPv6 addresses from it).
     */
    private void startAnchor() {
        CompletableFuture<Void> bound = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            if (!enter()) {
                bound.complete(null);
                return;
            }
            try {
                LibC.mount("/proc/thread-self/net", "/proc/self/net", null, LibC.MS_BIND, null);
            } catch (LinuxException e) {
                LOG.log(System.Logger.Level.DEBUG, "could not show " + description + "'s /proc/net to its threads", e);
            }
            bound.complete(null);
            while (!isClosed()) {
                LockSupport.park(this);
            }
        }, "isonet-" + name + "-anchor");
        thread.setDaemon(true);
        synchronized (this) {
            anchor = thread;
        }
        thread.start();
        try {
            bound.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.DEBUG, "the /proc/net anchor of " + description + " did not start", e);
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    public ThreadFactory threadFactory() {
        ensureOpen();
        return threads;
    }

    /** An executor inside the namespace that users cannot shut down: it ends when the namespace closes. */
    public ExecutorService executor() {
        ensureOpen();
        return executor;
    }

    /**
     * Runs {@code task} on a pooled thread inside and returns its result, rethrowing its exception as is. If the
     * namespace closes first, the caller gets {@link NodeClosedException} at once, whatever the task is doing.
     */
    public <T> T run(Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                throw closedException();
            }
            calls.add(result);
        }
        try {
            pool.execute(() -> {
                if (result.isDone()) {
                    return; // closed before it started
                }
                try {
                    result.complete(task.call());
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            calls.remove(result);
            throw closedException();
        }
        // Short tasks are the common case: waiting a few microseconds awake beats being parked and woken.
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (!result.isDone() && System.nanoTime() < spinUntil) {
            Thread.onSpinWait();
        }
        try {
            return result.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        } finally {
            calls.remove(result);
        }
    }

    /**
     * Starts a process in the namespace's process namespace (made on first use). The process, and every process
     * it starts, is stopped when the namespace closes, and killed if the JVM dies.
     */
    public SandboxedProcess start(ProcessBuilder builder) throws IOException {
        return start(Launch.of(builder));
    }

    /** Starts {@code launch} as {@link #start(ProcessBuilder)} does. */
    public SandboxedProcess start(Launch launch) throws IOException {
        synchronized (this) {
            if (closed) {
                throw closedException();
            }
            starting++;
        }
        try {
            ProcessSandbox box = sandbox();
            File directory = launch.directory() == null ? null : new File(launch.directory());
            Confinement confined = confinement;
            String inRoot = confined == null ? null : confined.workingDirectory(directory);
            String wd = inRoot != null ? inRoot
                    : directory != null ? directory.getAbsolutePath() : System.getProperty("user.dir");
            if (confined != null) {
                confined.checkProgram(launch.command(), wd, launch.environment());
            }
            SandboxedProcess process = box.spawn(launch, fds, wd, name + "-" + processCount.incrementAndGet());
            processes.add(process);
            process.onExit().thenRun(() -> processes.remove(process));
            return process;
        } finally {
            synchronized (this) {
                starting--;
                notifyAll();
            }
        }
    }

    private ProcessSandbox sandbox() throws IOException {
        prepare();
        ensureHostname();
        synchronized (setup) {
            synchronized (this) {
                if (sandbox != null) {
                    return sandbox;
                }
            }
            ProcessSandbox made = ProcessSandbox.start(description, fds, mountFd);
            if (container.any()) {
                try {
                    confinement = Confinement.build(name, description, container, made, fds);
                } catch (RuntimeException e) {
                    made.close(Duration.ZERO);
                    throw e;
                }
            }
            synchronized (this) {
                sandbox = made; // close() waits for this start (starting > 0), so it sees and stops it
            }
            return made;
        }
    }

    /**
     * Builds the container now (process namespace, root filesystem, cgroup) rather than at the first process, so
     * that a node whose container cannot be built fails as it is created.
     */
    public void startContainer() throws IOException {
        synchronized (this) {
            if (closed) {
                throw closedException();
            }
            starting++;
        }
        try {
            sandbox();
        } finally {
            synchronized (this) {
                starting--;
                notifyAll();
            }
        }
    }

    /** The node's root filesystem and cgroup, once built; null for a node without them. */
    public Confinement confinement() {
        return confinement;
    }

    /** Runs a command inside, collecting its output in memory (no files), and kills it past {@code timeout}. */
    public ExecResult exec(Duration timeout, List<String> command) throws IOException, InterruptedException {
        return exec(timeout, Launch.of(new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))), null);
    }

    /**
     * Runs {@code launch} inside, writing {@code stdin} (if not null) to it, collecting its output in memory, and
     * kills it (and everything it started) past {@code timeout}.
     */
    public ExecResult exec(Duration timeout, Launch launch, byte[] stdin) throws IOException, InterruptedException {
        SandboxedProcess process = start(launch);
        if (stdin != null) {
            feed(process, stdin);
        }
        Collected out = new Collected(process.getInputStream());
        Collected err = new Collected(process.getErrorStream());
        if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
            throw new IOException(launch.command() + " in " + description + " did not finish within " + timeout
                    + "; it was killed. Output so far:\n" + new String(out.bytes(), StandardCharsets.UTF_8)
                    + new String(err.bytes(), StandardCharsets.UTF_8));
        }
        return new ExecResult(process.exitValue(), out.bytes(), err.bytes());
    }

    /** Writes {@code bytes} to the process's standard input on a host thread, then closes it. */
    public static void feed(Process process, byte[] bytes) {
        HostNamespaces.io(() -> {
            try (java.io.OutputStream in = process.getOutputStream()) {
                in.write(bytes);
            } catch (IOException e) {
                // the process ended, or closed its input, before reading it all: as with a pipe in a shell
            }
        });
    }

    /** Output read on a host thread as it comes, so that it can be taken whole or as far as it got. */
    private static final class Collected {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final CompletableFuture<Void> ended = new CompletableFuture<>();

        Collected(InputStream stream) {
            HostNamespaces.io(() -> {
                byte[] chunk = new byte[8192];
                try (stream) {
                    for (int n; (n = stream.read(chunk)) >= 0; ) {
                        synchronized (kept) {
                            kept.write(chunk, 0, Math.min(n, Math.max(0, EXEC_OUTPUT_LIMIT - kept.size())));
                        }
                    }
                } catch (IOException e) {
                    // the stream closed under us (process killed): keep what came
                }
                ended.complete(null);
            });
        }

        /**
         * Everything, once the pipe ends; a process that exited ends its pipe at once, unless a descendant it
         * left running still holds it: then what came within a moment.
         */
        byte[] bytes() throws InterruptedException {
            try {
                ended.get(500, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // a detached descendant holds the pipe open: take what came
            }
            synchronized (kept) {
                return kept.toByteArray();
            }
        }
    }

    /** A sock_diag socket in this namespace: it lists (and can abort) the namespace's sockets. */
    public synchronized SockDiag sockDiag() {
        ensureOpen(); // under the lock: close() cannot release the fd meanwhile
        return HostNamespaces.inNetwork(fds.net(), description, () -> SockDiag.open(description));
    }

    /**
     * Whatever {@code open} makes (a netlink socket) on a thread inside this network namespace, where it stays:
     * for diagnostics. Fails with {@link NodeClosedException} once closed.
     */
    public synchronized <T> T openInNetwork(Callable<T> open) {
        ensureOpen(); // under the lock: close() cannot release the fd meanwhile
        return HostNamespaces.inNetwork(fds.net(), description, open);
    }

    /** The node's own mount namespace fd (with its hosts file), or -1 until something used it. */
    public synchronized int mountFd() {
        return mountFd;
    }

    /** Threads of this JVM still inside this namespace, by name: a leak once the node is closed. */
    public List<String> threadsInside() {
        synchronized (this) {
            if (!javaRan) {
                return List.of(); // only threads that entered, and threads they started, can be inside
            }
        }
        return ThreadsInNamespaces.threadsIn(identity);
    }

    /** This namespace's identity, as "net:[inode]": stable after close. */
    public String identity() {
        return identity;
    }

    /**
     * Closes: refuses new work, releases every caller of {@link #run} with {@link NodeClosedException},
     * interrupts the pool's threads, stops every process (SIGTERM, then SIGKILL to all after the grace period),
     * aborts the sockets JVM threads made inside, then releases the fds.
     */
    @Override
    public void close() {
        List<CompletableFuture<?>> pending;
        ProcessSandbox processes;
        Thread anchored;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true; // from here on no thread enters and no process starts
            while (starting > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            pending = new ArrayList<>(calls);
            processes = sandbox;
            anchored = anchor;
        }
        NodeClosedException closedWhileRunning = new NodeClosedException(description + " was closed while the task"
                + " ran");
        for (CompletableFuture<?> call : pending) {
            call.completeExceptionally(closedWhileRunning);
        }
        pool.close();
        if (anchored != null) {
            LockSupport.unpark(anchored);
        }
        if (processes != null) {
            processes.close(stopGrace());
            // Each started process's own parent (nsenter) ends a moment after the process: wait, so that no
            // Process this node handed out is still alive once close() returns.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (SandboxedProcess process : List.copyOf(this.processes)) {
                try {
                    process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        Confinement confined = confinement;
        if (confined != null) {
            confined.close(); // after the processes: a busy cgroup cannot be removed
        }
        boolean abort;
        synchronized (this) {
            abort = javaRan;
        }
        if (abort) {
            abortSockets();
        }
        synchronized (this) {
            if (hostsFollowed != null) {
                try {
                    hostsFollowed.close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.DEBUG, "could not stop following the hosts file of " + description, e);
                }
            }
            fds.close(); // no setns can be in progress: enter() holds this lock
            LibC.close(mountFd);
        }
    }

    /**
     * Aborts every TCP and UDP socket of the namespace (SOCK_DESTROY), so that JVM threads blocked in accept,
     * read or receive on them return with an exception: a blocked thread would otherwise keep the namespace
     * alive. Best effort: a kernel without INET_DIAG_DESTROY leaves them be.
     */
    private void abortSockets() {
        try (SockDiag diag = HostNamespaces.inNetwork(fds.net(), description, () -> SockDiag.open(description))) {
            List<Request> destroys = new ArrayList<>();
            for (int protocol : new int[] {SockDiag.IPPROTO_TCP, SockDiag.IPPROTO_UDP}) {
                for (SockDiag.InetSocket socket : diag.inetList(protocol, SockDiag.ALL_STATES)) {
                    destroys.add(SockDiag.destroy(socket));
                }
            }
            if (!destroys.isEmpty()) {
                try {
                    diag.apply(destroys.toArray(Request[]::new)); // one transaction for all of them
                } catch (LinuxException e) {
                    if (e.errno() != LinuxException.ENOENT) {
                        throw e; // ENOENT: one went meanwhile; the others were still destroyed
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not abort the sockets of " + description, e);
        }
    }
}
