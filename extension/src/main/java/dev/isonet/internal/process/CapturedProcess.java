package dev.isonet.internal.process;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A process whose output Isonet reads into its log: the same process, except that the streams Isonet reads
 * are already at their end here, so that nothing can take lines away from the log.
 */
public final class CapturedProcess extends Process {
    private final Process process;
    private final boolean stdoutCaptured;
    private final boolean stderrCaptured;

    public CapturedProcess(Process process, boolean stdoutCaptured, boolean stderrCaptured) {
        this.process = process;
        this.stdoutCaptured = stdoutCaptured;
        this.stderrCaptured = stderrCaptured;
    }

    @Override
    public OutputStream getOutputStream() {
        return process.getOutputStream();
    }

    @Override
    public InputStream getInputStream() {
        return stdoutCaptured ? InputStream.nullInputStream() : process.getInputStream();
    }

    @Override
    public InputStream getErrorStream() {
        return stderrCaptured ? InputStream.nullInputStream() : process.getErrorStream();
    }

    @Override
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        return process.waitFor(timeout, unit);
    }

    @Override
    public int exitValue() {
        return process.exitValue();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void destroy() {
        process.destroy();
    }

    @Override
    public Process destroyForcibly() {
        process.destroyForcibly();
        return this;
    }

    @Override
    public boolean supportsNormalTermination() {
        return process.supportsNormalTermination();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return process.onExit().thenApply(p -> this);
    }

    @Override
    public ProcessHandle toHandle() {
        return process.toHandle();
    }

    @Override
    public Stream<ProcessHandle> children() {
        return process.children();
    }

    @Override
    public Stream<ProcessHandle> descendants() {
        return process.descendants();
    }

    @Override
    public String toString() {
        return process.toString();
    }
}
