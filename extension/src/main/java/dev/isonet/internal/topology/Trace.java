package dev.isonet.internal.topology;

import dev.isonet.internal.Settings;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * How long each step of building a network took, on the building thread. With the setting isonet.trace=true
 * each step is logged (at INFO: it was asked for); the benchmark records them instead. Otherwise it costs a
 * setting lookup per step.
 */
public final class Trace {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    private static final ThreadLocal<long[]> LAST = ThreadLocal.withInitial(() -> new long[1]);
    private static final ThreadLocal<BiConsumer<String, Double>> RECORDER = new ThreadLocal<>();

    private Trace() {}

    /** Records this thread's steps into {@code sink} (step name to milliseconds), until called with null. */
    public static void record(Map<String, List<Double>> sink) {
        if (sink == null) {
            RECORDER.remove();
        } else {
            RECORDER.set((step, ms) -> sink.computeIfAbsent(step, s -> new java.util.ArrayList<>()).add(ms));
        }
    }

    /** Starts timing on this thread. */
    public static void start() {
        if (RECORDER.get() != null || printing()) {
            LAST.get()[0] = System.nanoTime();
        }
    }

    /** The time since the previous step (or start) was spent on {@code step}, here about {@code subject}. */
    public static void step(String step, Object subject) {
        BiConsumer<String, Double> recorder = RECORDER.get();
        boolean print = printing();
        if (!print && recorder == null) {
            return;
        }
        long now = System.nanoTime();
        long[] last = LAST.get();
        double ms = (now - last[0]) / 1e6;
        if (recorder != null) {
            recorder.accept(step, ms);
        }
        if (print) {
            LOG.log(System.Logger.Level.INFO, String.format(java.util.Locale.ROOT, "isonet trace: %-44s %8.3f ms",
                    step + (subject == null ? "" : " (" + subject + ")"), ms));
        }
        last[0] = System.nanoTime(); // printing is not the next step's time
    }

    /** Whether steps are printed: read at each step, so that a JUnit configuration parameter counts. */
    static boolean printing() {
        return Settings.TRACE.enabled();
    }
}
