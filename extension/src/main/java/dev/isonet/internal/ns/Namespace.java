package dev.isonet.internal.ns;

import dev.isonet.ExecResult;
import dev.isonet.NodeClosedException;
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

/**
 * A node's namespaces and everything that runs in them: its threads (created on first use) and the processes
 * it started. One lock guards "open": threads enter, tasks are accepted and processes start only while it is
 * open, and closing flips it before anything is released.
 */
public final class Namespace implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    private static final long SPIN_NANOS = 30_000;
    /** exec() keeps at most this much of each stream. */
    private static final int EXEC_OUTPUT_LIMIT = 64 << 20;

    private final String name;
    private final String description;
    private final NamespaceFds fds;
    private final String identity;
    private final NamespaceThreads threads;
    private final NamespacePool pool;
    private final ExecutorService executor;
    private final Set<CompletableFuture<?>> calls = ConcurrentHashMap.newKeySet();
    private final Set<Process> processes = ConcurrentHashMap.newKeySet();
    private int starting;
    private boolean closed;
    /** Set once a JVM thread entered: only then can JVM sockets live in the namespace. */
    private boolean javaRan;

    /** {@code description} names it in messages, as "node 'server'". */
    public Namespace(String name, String description, NamespaceFds fds) {
        this.name = name;
        this.description = description;
        this.fds = fds;
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
        fds.enter(name); // under the lock: close() cannot release the fds meanwhile
        return true;
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

    public Process start(ProcessBuilder builder) throws IOException {
        synchronized (this) {
            if (closed) {
                throw closedException();
            }
            starting++;
        }
        Process process = null;
        try {
            process = Spawner.start(builder, fds, name);
        } finally {
            synchronized (this) {
                starting--;
                if (process != null && !closed) {
                    processes.add(process);
                }
                notifyAll();
            }
        }
        synchronized (this) {
            if (closed) {
                stop(process); // close() waited for this start and has already stopped the others
                throw closedException();
            }
        }
        Process started = process;
        started.onExit().thenRun(() -> processes.remove(started));
        return started;
    }

    /** Runs a command inside, collecting its output in memory (no files), and kills it past {@code timeout}. */
    public ExecResult exec(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Process process = start(new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))));
        CompletableFuture<byte[]> out = collect(process.getInputStream());
        CompletableFuture<byte[]> err = collect(process.getErrorStream());
        if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            stop(process);
            throw new IOException(command + " in " + description + " did not finish within " + timeout
                    + "; it was killed. Output so far:\n" + new String(drain(out), StandardCharsets.UTF_8)
                    + new String(drain(err), StandardCharsets.UTF_8));
        }
        return new ExecResult(process.exitValue(), drain(out), drain(err));
    }

    private static CompletableFuture<byte[]> collect(InputStream stream) {
        CompletableFuture<byte[]> bytes = new CompletableFuture<>();
        HostNamespaces.io(() -> {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            try (stream) {
                for (int n; (n = stream.read(chunk)) >= 0; ) {
                    kept.write(chunk, 0, Math.min(n, Math.max(0, EXEC_OUTPUT_LIMIT - kept.size())));
                }
            } catch (IOException e) {
                // the stream closed under us (process killed): keep what came
            }
            bytes.complete(kept.toByteArray());
        });
        return bytes;
    }

    /** The collected output, waiting briefly for the pipe to reach its end after the process did. */
    private static byte[] drain(CompletableFuture<byte[]> bytes) throws InterruptedException {
        try {
            return bytes.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // a grandchild still holds the pipe open: what came so far is not available without it
            return new byte[0];
        }
    }

    static void stop(Process process) {
        List<ProcessHandle> family = new ArrayList<>();
        process.descendants().forEach(family::add);
        process.destroyForcibly();
        family.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    /** Threads of this JVM still inside this namespace, by name: a leak once the node is closed. */
    public List<String> threadsInside() {
        return ThreadsInNamespaces.threadsIn(identity);
    }

    /** This namespace's identity, as "net:[inode]": stable after close. */
    public String identity() {
        return identity;
    }

    /**
     * Closes: refuses new work, releases every caller of {@link #run} with {@link NodeClosedException},
     * interrupts the pool's threads, stops every process (waiting for starts in flight), then releases the fds.
     */
    @Override
    public void close() {
        List<CompletableFuture<?>> pending;
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
        }
        NodeClosedException closedWhileRunning = new NodeClosedException(description + " was closed while the task"
                + " ran");
        for (CompletableFuture<?> call : pending) {
            call.completeExceptionally(closedWhileRunning);
        }
        pool.close();
        for (Process process : List.copyOf(processes)) {
            stop(process);
        }
        if (javaRan) {
            abortSockets();
        }
        synchronized (this) {
            fds.close(); // no setns can be in progress: enter() holds this lock
        }
    }
}
