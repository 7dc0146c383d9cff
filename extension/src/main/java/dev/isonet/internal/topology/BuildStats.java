package dev.isonet.internal.topology;

import java.util.Arrays;

/**
 * How many networks and nodes this JVM built, and how long each network's setup took: for the one-line
 * summary at the end of a JUnit launcher session. Recording costs a lock and an array store per network.
 */
public final class BuildStats {
    /** Setup times kept; beyond this, networks and nodes are still counted. */
    private static final int MAX_SAMPLES = 1 << 20;
    private static long[] setupNanos = new long[256];
    private static int networks;
    private static long nodes;
    private static final ThreadLocal<Boolean> UNCOUNTED = ThreadLocal.withInitial(() -> false);

    private BuildStats() {}

    /** Runs {@code work} without counting what it builds: Isonet's own warm-up is not the suite's. */
    public static void uncounted(Runnable work) {
        UNCOUNTED.set(true);
        try {
            work.run();
        } finally {
            UNCOUNTED.set(false);
        }
    }

    /** One node was built, in a network built before or being built. */
    public static synchronized void nodeBuilt() {
        if (UNCOUNTED.get()) {
            return;
        }
        nodes++;
    }

    /** One network was built, with the nodes its builder named, in {@code setupNanos}. */
    public static synchronized void record(long setupNanos) {
        if (UNCOUNTED.get()) {
            return;
        }
        if (networks < MAX_SAMPLES) {
            if (networks == BuildStats.setupNanos.length) {
                BuildStats.setupNanos = Arrays.copyOf(BuildStats.setupNanos, networks * 2);
            }
            BuildStats.setupNanos[networks] = setupNanos;
        }
        networks++;
    }

    /** Where the counts stand now: pass it to {@link #since} to see what was built after this moment. */
    public static synchronized Mark mark() {
        return new Mark(networks, nodes);
    }

    /** What was built since {@code mark}. */
    public static synchronized Summary since(Mark mark) {
        int kept = Math.min(networks, MAX_SAMPLES);
        long[] times = mark.networks() < kept ? Arrays.copyOfRange(setupNanos, mark.networks(), kept) : new long[0];
        Arrays.sort(times);
        return new Summary(networks - mark.networks(), nodes - mark.nodes(), percentile(times, 50),
                percentile(times, 99));
    }

    /** The nearest-rank percentile, or 0 without samples. */
    private static long percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    /** The counts at one moment. */
    public record Mark(int networks, long nodes) {}

    /** Networks and nodes built over a period, and the median and p99 of the networks' setup times. */
    public record Summary(int networks, long nodes, long medianNanos, long p99Nanos) {}
}
