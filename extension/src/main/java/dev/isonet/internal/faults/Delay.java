package dev.isonet.internal.faults;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long a packet is held: {@code nanos}, plus or minus up to {@code jitterNanos}, drawn for each packet
 * on its own and uniformly, as netem draws its jitter without a distribution table. The jitter never
 * exceeds the delay, so no packet is held for less than nothing.
 */
public record Delay(long nanos, long jitterNanos) {
    /** netem's limit (2^32 - 1 ticks of 64 ns), and so Isonet's, for the delay plus its jitter. */
    public static final Duration MAX = Duration.ofSeconds(274);

    public Delay {
        if (nanos < 0 || jitterNanos < 0 || jitterNanos > nanos || nanos + jitterNanos > MAX.toNanos()) {
            throw new IllegalArgumentException("a delay needs 0 <= jitter <= delay and delay + jitter <= " + MAX
                    + ", not " + nanos + " ns ± " + jitterNanos + " ns");
        }
    }

    public static Delay of(Duration delay, Duration jitter) {
        return new Delay(delay.toNanos(), jitter.toNanos());
    }

    public Duration delay() {
        return Duration.ofNanos(nanos);
    }

    public Duration jitter() {
        return Duration.ofNanos(jitterNanos);
    }

    /** One packet's hold time: the delay, moved by a uniform draw from [-jitter, +jitter]. */
    public long sample(RandomGenerator random) {
        return jitterNanos == 0 ? nanos : nanos - jitterNanos + random.nextLong(2 * jitterNanos + 1);
    }

    /** {@code 50 ms ± 10 ms}, or {@code 50 ms} without jitter. */
    public String text() {
        return millis(nanos) + (jitterNanos == 0 ? "" : " ± " + millis(jitterNanos));
    }

    /** A time in milliseconds, exactly, as {@code 50 ms} or {@code 0.25 ms}. */
    public static String millis(long nanos) {
        return BigDecimal.valueOf(nanos, 6).stripTrailingZeros().toPlainString() + " ms";
    }
}
