package dev.isonet.bench;

import dev.isonet.ExecResult;
import dev.isonet.Node;
import java.io.File;
import java.io.PrintStream;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What one call into a node costs, each call timed on its own: {@code run()}, against the same hand-off to a
 * host thread pool (its floor), and {@code exec("/bin/true")}, against starting /bin/true on the host.
 */
final class CallOverhead {
    private static final long RUN_CAP_NANOS = 5_000_000_000L;
    private static final long EXEC_CAP_NANOS = 20_000_000_000L;

    private CallOverhead() {}

    /** Returns the median of {@code run()} in µs. */
    static double measure(Node node, boolean quick, PrintStream out) throws Exception {
        int calls = quick ? 5_000 : 20_000;
        double[] run = time(calls, RUN_CAP_NANOS, () -> node.run(() -> null));
        // The node's pool is a cached ThreadPoolExecutor on a SynchronousQueue: the same, on the host.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>());
        double[] handOff;
        try {
            handOff = time(calls, RUN_CAP_NANOS, () -> pool.submit(() -> null).get());
        } finally {
            pool.shutdownNow();
        }
        int execs = quick ? 10 : 30;
        double[] exec = time(execs, EXEC_CAP_NANOS, () -> {
            ExecResult result = node.exec("/bin/true");
            if (!result.succeeded()) {
                throw new IllegalStateException("/bin/true in a node exited with " + result.exitCode()
                        + ": " + result.stderr());
            }
            return null;
        });
        double[] spawn = time(execs, EXEC_CAP_NANOS, () -> {
            new ProcessBuilder("/bin/true").redirectInput(new File("/dev/null"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(10, TimeUnit.SECONDS);
            return null;
        });
        double runMedian = Stats.quantile(run, 0.5) * 1000;
        out.println("per-call overhead (warm, each call timed on its own):");
        out.printf("  %-44s median %6.1f us, p99 %6.1f us (%d calls)%n", "node.run(() -> null)",
                runMedian, Stats.quantile(run, 0.99) * 1000, run.length);
        out.printf("  %-44s median %6.1f us, p99 %6.1f us (its floor)%n", "same hand-off to a host thread pool",
                Stats.quantile(handOff, 0.5) * 1000, Stats.quantile(handOff, 0.99) * 1000);
        out.printf("  %-44s %s ms (%d calls)%n", "node.exec(\"/bin/true\")", Stats.of(exec).format(), exec.length);
        out.printf("  %-44s %s ms (exec adds setpriv + nsenter into the node's namespaces, and its output pipes)%n", "/bin/true started on the host",
                Stats.of(spawn).format());
        return runMedian;
    }

    interface Call {
        Object call() throws Exception;
    }

    /** Per-call times in ms, after a warm-up of a tenth as many calls; stops early at the time cap. */
    static double[] time(int calls, long capNanos, Call call) throws Exception {
        for (int i = 0; i < Math.max(1, calls / 10); i++) {
            call.call();
        }
        double[] times = new double[calls];
        long deadline = System.nanoTime() + capNanos;
        int done = 0;
        while (done < calls && System.nanoTime() < deadline) {
            long start = System.nanoTime();
            call.call();
            times[done++] = (System.nanoTime() - start) / 1e6;
        }
        return java.util.Arrays.copyOf(times, done);
    }
}
