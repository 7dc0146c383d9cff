package dev.isonet.internal.ns;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A process started in a node's process namespace, as a {@link Process}. The JVM's own child is
 * {@code nsenter}, which forks the real process into the namespace, waits for it and exits with its status
 * (128 + n for a signal n) but passes on no signal; so this signals the real process, by its host PID, and
 * {@link #pid()} is that PID. Its streams and exit are nsenter's, which are the real process's.
 */
public final class SandboxedProcess extends Process {
    /** The environment entry that marks a started process and every process it starts. */
    public static final String MARKER = "ISONET_PROCESS";

    private final Process nsenter;
    private final ProcessSandbox sandbox;
    private final String marker;
    private volatile long pid;

    SandboxedProcess(Process nsenter, ProcessSandbox sandbox, String marker) {
        this.nsenter = nsenter;
        this.sandbox = sandbox;
        this.marker = marker;
    }

    /** The real process's host PID; nsenter's, if it already ended before its PID was read. */
    @Override
    public long pid() {
        long known = pid;
        if (known == 0) {
            long child = ProcessSandbox.onlyChild(nsenter.pid());
            known = child > 0 ? child : nsenter.pid();
            pid = known;
        }
        return known;
    }

    /**
     * The real process, while it can still be it: nsenter ends right after it, so once nsenter is gone its PID
     * may name another process, which must never get its signals.
     */
    private Optional<ProcessHandle> real() {
        long child = pid();
        if (child == nsenter.pid() || !nsenter.isAlive()) {
            return Optional.empty();
        }
        return ProcessHandle.of(child);
    }

    @Override
    public OutputStream getOutputStream() {
        return nsenter.getOutputStream();
    }

    @Override
    public InputStream getInputStream() {
        return nsenter.getInputStream();
    }

    @Override
    public InputStream getErrorStream() {
        return nsenter.getErrorStream();
    }

    @Override
    public int waitFor() throws InterruptedException {
        return nsenter.waitFor();
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        return nsenter.waitFor(timeout, unit);
    }

    @Override
    public int exitValue() {
        return nsenter.exitValue();
    }

    @Override
    public boolean isAlive() {
        return nsenter.isAlive();
    }

    /** SIGTERM to the process itself, as {@link Process#destroy()} means. */
    @Override
    public void destroy() {
        real().ifPresent(ProcessHandle::destroy);
    }

    /** SIGKILL to the process and every process it started, also those that detached. */
    @Override
    public Process destroyForcibly() {
        real().ifPresent(ProcessHandle::destroyForcibly);
        tree().forEach(ProcessHandle::destroyForcibly);
        return this;
    }

    /**
     * SIGTERM to the process and every process it started (also those that detached or double-forked: they
     * carry its mark), then SIGKILL to whatever is left after {@code grace}. Returns once all are gone.
     */
    public void stop(Duration grace) {
        List<ProcessHandle> tree = tree();
        real().ifPresent(p -> {
            if (!tree.contains(p)) {
                tree.add(p);
            }
        });
        ProcessSandbox.stop(tree, grace, this::tree);
        try {
            nsenter.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every live process inside that carries this process's mark. */
    List<ProcessHandle> tree() {
        return new java.util.ArrayList<>(sandbox.members(marker));
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return nsenter.onExit().thenApply(p -> this);
    }

    @Override
    public ProcessHandle toHandle() {
        return real().orElse(nsenter.toHandle());
    }

    @Override
    public Stream<ProcessHandle> children() {
        return real().map(ProcessHandle::children).orElse(Stream.empty());
    }

    @Override
    public Stream<ProcessHandle> descendants() {
        return real().map(ProcessHandle::descendants).orElse(Stream.empty());
    }

    @Override
    public String toString() {
        return "Process[pid=" + pid() + ", in " + sandbox.owner() + ", " + (isAlive() ? "running" : "exited "
                + exitValue()) + "]";
    }
}
