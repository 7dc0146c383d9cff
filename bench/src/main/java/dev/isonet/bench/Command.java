package dev.isonet.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One external process of a baseline, with optional standard input. Started from the bench's main thread,
 * which never enters a namespace, so the process runs on the host unless its arguments say otherwise.
 */
record Command(List<String> argv, String stdin) {
    static final long TIMEOUT_SECONDS = 30;
    /** Guarded by Command.class. */
    private static boolean stopping;
    private static Process running;

    static Command of(String... argv) {
        return new Command(List.of(argv), null);
    }

    static Command withInput(String input, String... argv) {
        return new Command(List.of(argv), input);
    }

    /** Runs to completion; a non-zero exit or the time cap throws, naming the command and its stderr. */
    void run() throws IOException, InterruptedException {
        run(TIMEOUT_SECONDS);
    }

    void run(long timeoutSeconds) throws IOException, InterruptedException {
        run(timeoutSeconds, false);
    }

    /** For cleanup, which must run even while the JVM shuts down. */
    void runForCleanup() throws IOException, InterruptedException {
        run(10, true);
    }

    /**
     * Lets the process in flight finish (bounded), then refuses to start more: a process started after the
     * cleanup would outlive the JVM and leave what it makes behind.
     */
    static void stopStarting() {
        Process inFlight;
        synchronized (Command.class) {
            stopping = true;
            inFlight = running;
        }
        if (inFlight != null) {
            try {
                if (!inFlight.waitFor(10, TimeUnit.SECONDS)) {
                    inFlight.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run(long timeoutSeconds, boolean cleanup) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        if (stdin == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process process;
        synchronized (Command.class) {
            if (stopping && !cleanup) {
                throw new IOException(this + " not started: the bench is shutting down");
            }
            process = builder.start();
            if (!cleanup) {
                running = process;
            }
        }
        try {
            if (stdin != null) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IOException(this + " did not finish within " + timeoutSeconds + " s; it was killed");
            }
            if (process.exitValue() != 0) {
                String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                throw new IOException(this + " exited with " + process.exitValue() + ": " + err);
            }
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            process.getErrorStream().close();
            synchronized (Command.class) {
                if (running == process) {
                    running = null;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "'" + String.join(" ", argv) + "'";
    }
}
