package dev.isonet.internal.ns;

import dev.isonet.ExecResult;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A node's namespaces and everything that runs in them: its threads (created on first use) and the
 * processes it started. Closing stops those processes by PID, ends the threads and closes the fds.
 */
public final class Namespace implements AutoCloseable {
    private static final long SPIN_NANOS = 30_000;
    private final String name;
    private final NamespaceFds fds;
    private final NamespaceThreads threads;
    private final Set<Process> processes = ConcurrentHashMap.newKeySet();
    private ThreadPoolExecutor pool;
    private String identity;
    private boolean closed;

    public Namespace(String name, NamespaceFds fds) {
        this.name = name;
        this.fds = fds;
        this.threads = new NamespaceThreads(name, fds);
    }

    public NamespaceFds fds() {
        return fds;
    }

    public ThreadFactory threadFactory() {
        identity(); // its threads may outlive the node: remember what to look for
        return threads;
    }

    /** The node's shared pool, started on first use. */
    public synchronized ExecutorService pool() {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
        if (pool == null) {
            identity();
            pool = threads.newPool();
        }
        return pool;
    }

    public <T> T run(Callable<T> task) throws Exception {
        Future<T> future = pool().submit(task);
        // Short tasks are the common case: waiting a few microseconds awake beats being parked and woken.
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (!future.isDone() && System.nanoTime() < spinUntil) {
            Thread.onSpinWait();
        }
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        }
    }

    public Process start(ProcessBuilder builder) throws IOException {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException(name + " is closed");
            }
        }
        Process process = Spawner.start(builder, fds, name);
        processes.add(process);
        process.onExit().thenRun(() -> processes.remove(process));
        return process;
    }

    public ExecResult exec(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("isonet-exec-", ".out");
        Path err = Files.createTempFile("isonet-exec-", ".err");
        try {
            Process process = start(new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile()));
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                stop(process);
                throw new TimeoutException(command + " in node " + name + " did not finish within " + timeout
                        + "; it was killed. Output so far:\n" + Files.readString(out, StandardCharsets.UTF_8)
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new ExecResult(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (TimeoutException e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> family = new ArrayList<>();
        process.descendants().forEach(family::add);
        process.destroyForcibly();
        family.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(5, TimeUnit.SECONDS);
    }

    /** Threads of this JVM still inside this namespace, by name: a leak once the node is closed. */
    public List<String> threadsInside() {
        return ThreadsInNamespaces.threadsIn(identity());
    }

    /** Read while the fd is open, kept for after: a closed fd number may soon name something else. */
    private synchronized String identity() {
        if (identity == null && !closed) {
            identity = ThreadsInNamespaces.identity(fds.net());
        }
        return identity;
    }

    @Override
    public void close() {
        ThreadPoolExecutor toStop;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toStop = pool;
        }
        for (Process process : List.copyOf(processes)) {
            try {
                stop(process);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (toStop != null) {
            toStop.shutdownNow();
        }
        fds.close();
    }
}
