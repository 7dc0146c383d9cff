package dev.isonet;

import dev.isonet.internal.faults.Delay;
import dev.isonet.internal.faults.Effect;
import dev.isonet.internal.faults.Rate;
import org.apiguardian.api.API;

/**
 * A fault made on a network: a partition, an isolation, a one-way block, a loss, a rate limit, a delay or a
 * disconnected link. It stays until {@link #heal()}, {@link Network#heal()}, or the network's close; in JUnit
 * tests, until the end of the test that made it. {@link Network#faults()} lists the active ones.
 *
 * <pre>{@code
 * Fault split = network.partition(List.of(a, b), List.of(c));
 * assertThat(a).cannotReach(c).viaIcmp();
 * split.heal();
 * assertThat(a).canReach(c).viaIcmp();
 * }</pre>
 *
 * <p>{@link #toString()} says what it does: {@code partition [a, b] | [c]}, {@code isolate a},
 * {@code block a -> outside}, {@code loss 30% egress on node a}, {@code rate 1 Mbit/s egress on node a},
 * {@code delay 50 ms ± 10 ms both ways on node a}, {@code node a disconnected}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
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
     * cut until both are healed). One transaction; does nothing if the fault is no longer active (healed,
     * replaced, or its network closed). Healing a disconnection returns once the link is up again.
     *
     * @throws IsonetException if the kernel refuses the change (the fault then stays active), or a reconnected
     *     link does not come up in time
     */
    public void heal() {
        owner.heal(this);
    }

    /**
     * True until it is healed, replaced (a newer {@link Link#loss loss}, {@link Link#rate rate} or
     * {@link Link#delay delay} of the same kind on the same link and direction), or its network closes.
     *
     * @return whether the fault still acts on the network
     */
    public boolean isActive() {
        return active;
    }

    void deactivate() {
        active = false;
    }

    /**
     * What the fault does, as {@link Network#faults()} and failure messages show it.
     *
     * @return a description such as {@code partition [a, b] | [c]} or {@code loss 30% egress on node a}
     */
    @Override
    public String toString() {
        return description;
    }
}
