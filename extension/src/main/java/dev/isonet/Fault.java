package dev.isonet;

import dev.isonet.internal.faults.Delay;
import dev.isonet.internal.faults.Effect;
import dev.isonet.internal.faults.Rate;

/**
 * A fault made on a network: a partition, an isolation, a one-way block, a loss, a rate limit, a delay or a
 * disconnected link. It
 * stays until {@link #heal()}, {@link Network#heal()}, or the network's close; in JUnit tests, until the end
 * of the test that made it.
 *
 * <p>{@link #toString()} says what it does: {@code partition [a, b] | [c]}, {@code isolate a},
 * {@code block a -> outside}, {@code loss 30% egress on node a}, {@code rate 1 Mbit/s egress on node a},
 * {@code delay 50 ms ± 10 ms both ways on node a}, {@code node a disconnected}.
 */
public final class Fault {
    enum Kind { CUT, LOSS, RATE, DELAY, DISCONNECT }

    private final NetworkFaults owner;
    private final String description;
    final Kind kind;
    /** What it asks of the router's rules; {@link Effect#NONE} for a disconnect. */
    final Effect effect;
    /** The link of a loss, rate, delay or disconnect; null for cuts. */
    final Link link;
    /** The direction of a loss, rate or delay; null otherwise. */
    final Direction direction;
    /** The rate of a rate limit; null otherwise. */
    final Rate rate;
    /** The delay of a delay; null otherwise. */
    final Delay delay;
    private volatile boolean active = true;

    Fault(NetworkFaults owner, Kind kind, String description, Effect effect, Link link, Direction direction) {
        this(owner, kind, description, effect, link, direction, null, null);
    }

    /** A rate limit or a delay on {@code link}: changes no router rule. */
    Fault(NetworkFaults owner, String description, Link link, Direction direction, Rate rate, Delay delay) {
        this(owner, rate != null ? Kind.RATE : Kind.DELAY, description, Effect.NONE, link, direction, rate, delay);
    }

    private Fault(NetworkFaults owner, Kind kind, String description, Effect effect, Link link, Direction direction,
                  Rate rate, Delay delay) {
        this.owner = owner;
        this.kind = kind;
        this.description = description;
        this.effect = effect;
        this.link = link;
        this.direction = direction;
        this.rate = rate;
        this.delay = delay;
    }

    /**
     * Undoes this fault, and only this one: what other active faults do stays (a pair cut by two faults stays
     * cut until both are healed). One transaction; does nothing if the fault is no longer active.
     */
    public void heal() {
        owner.heal(this);
    }

    /**
     * True until it is healed, replaced (a newer {@link Link#loss loss}, {@link Link#rate rate} or
     * {@link Link#delay delay} of the same kind on the same link and direction), or its network closes.
     */
    public boolean isActive() {
        return active;
    }

    void deactivate() {
        active = false;
    }

    @Override
    public String toString() {
        return description;
    }
}
