package dev.isonet;

import dev.isonet.internal.faults.Effect;

/**
 * A fault made on a network: a partition, an isolation, a one-way block, a loss or a disconnected link. It
 * stays until {@link #heal()}, {@link Network#heal()}, or the network's close; in JUnit tests, until the end
 * of the test that made it.
 *
 * <p>{@link #toString()} says what it does: {@code partition [a, b] | [c]}, {@code isolate a},
 * {@code block a -> outside}, {@code loss 30% egress on node a}, {@code node a disconnected}.
 */
public final class Fault {
    enum Kind { CUT, LOSS, DISCONNECT }

    private final NetworkFaults owner;
    private final String description;
    final Kind kind;
    /** What it asks of the router's rules; {@link Effect#NONE} for a disconnect. */
    final Effect effect;
    /** The link of a loss or disconnect; null for cuts. */
    final Link link;
    /** The direction of a loss; null otherwise. */
    final Direction direction;
    private volatile boolean active = true;

    Fault(NetworkFaults owner, Kind kind, String description, Effect effect, Link link, Direction direction) {
        this.owner = owner;
        this.kind = kind;
        this.description = description;
        this.effect = effect;
        this.link = link;
        this.direction = direction;
    }

    /**
     * Undoes this fault, and only this one: what other active faults do stays (a pair cut by two faults stays
     * cut until both are healed). One transaction; does nothing if the fault is no longer active.
     */
    public void heal() {
        owner.heal(this);
    }

    /**
     * True until it is healed, replaced (a newer {@link Link#loss loss} on the same link and direction), or
     * its network closes.
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
