package dev.isonet.internal.process;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * Readiness waits on Awaitility: polls a probe until it gives a value, at most for a timeout, and fails with
 * the caller's message (what was tried, for how long, what was seen last) as a {@link ConditionTimeoutException}.
 */
public final class Await {
    private Await() {}

    /** What a failed wait tells its message: how long it waited, how many probes, and whether it gave up early. */
    public record Outcome(Duration waited, int attempts, boolean gaveUp) {
        /** As "5 s (250 attempts)" or "1.2 s (40 attempts)". */
        public String summary() {
            return seconds(waited) + " (" + attempts + (attempts == 1 ? " attempt)" : " attempts)");
        }
    }

    /** A duration as people read it: "250 ms", "5 s", "1.5 s". */
    public static String seconds(Duration d) {
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1e3);
    }

    /**
     * Calls {@code probe} every {@code interval} (the first time at once) until it returns non-null, and returns
     * that; {@code hopeless} true ends the wait early. Fails with {@code message}'s text on timeout or giving up.
     */
    public static <T> T until(Duration timeout, Duration interval, Callable<T> probe, Callable<Boolean> hopeless,
                              java.util.function.Function<Outcome, String> message) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a wait needs a positive timeout, not " + timeout);
        }
        AtomicInteger attempts = new AtomicInteger();
        long start = System.nanoTime();
        try {
            return Awaitility.await()
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(interval)
                    .pollInSameThread()
                    .failFast(hopeless)
                    .until(() -> {
                        attempts.incrementAndGet();
                        return probe.call();
                    }, Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            throw new ConditionTimeoutException(message.apply(new Outcome(Duration.ofNanos(System.nanoTime() - start),
                    attempts.get(), false)));
        } catch (TerminalFailureException e) {
            throw new ConditionTimeoutException(message.apply(new Outcome(Duration.ofNanos(System.nanoTime() - start),
                    attempts.get(), true)));
        }
    }
}
