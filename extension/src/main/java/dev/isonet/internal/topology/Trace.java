package dev.isonet.internal.topology;

/**
 * With -Disonet.trace=true, prints how long each step of building a network took, on the building thread:
 * the way to see where setup time goes on a given machine. Off, it costs one branch per step.
 */
public final class Trace {
    public static final String PROPERTY = "isonet.trace";
    private static final boolean ON = Boolean.getBoolean(PROPERTY);
    private static final ThreadLocal<long[]> LAST = ThreadLocal.withInitial(() -> new long[1]);

    private Trace() {}

    /** Starts timing on this thread. */
    public static void start() {
        if (ON) {
            LAST.get()[0] = System.nanoTime();
        }
    }

    /** Prints the time since the previous step (or start) under {@code step}. */
    public static void step(String step) {
        if (ON) {
            long now = System.nanoTime();
            long[] last = LAST.get();
            System.err.printf("isonet trace: %-44s %8.3f ms%n", step, (now - last[0]) / 1e6);
            last[0] = System.nanoTime(); // printing is not the next step's time
        }
    }
}
