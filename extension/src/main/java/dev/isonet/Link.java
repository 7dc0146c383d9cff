package dev.isonet;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * The link of a {@link Node} (its eth0 and bridge port) or of a network's {@link Network#outside() outside}
 * (the router's uplink to the host): conditions on it return a {@link Fault} that {@link Fault#heal()}
 * undoes. ARP and IPv6 neighbour discovery are never dropped by a condition: faults act on IP traffic.
 *
 * <pre>{@code
 * Fault lossy = node.loss(30, Direction.EGRESS);            // reads "loss 30% egress on node a"
 * Fault slow = node.delay(Duration.ofMillis(50), Duration.ofMillis(10));
 * Fault narrow = network.outside().rate(1_000_000);         // 1 Mbit/s each way through the uplink
 * ...
 * lossy.heal();
 * }</pre>
 *
 * <p>Every condition checks its arguments, and that the link's node and network are open, before it changes
 * anything. At most one loss, one rate and one delay apply per link and direction.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public sealed interface Link permits Node, Outside {
    /**
     * Drops {@code percent} of the packets in both directions, at random, each packet on its own. The same
     * as {@link #loss(double, Direction) loss(percent, Direction.BOTH)}.
     *
     * @param percent how many packets to drop, 0 to 100
     * @return the loss, active until healed or replaced
     * @throws IllegalArgumentException if {@code percent} is not 0 to 100; nothing changes
     * @throws IllegalStateException if the node or network is closed ({@link NodeClosedException} for a node)
     * @throws IsonetException if the kernel refuses the change
     */
    default Fault loss(double percent) {
        return loss(percent, Direction.BOTH);
    }

    /**
     * Drops {@code percent} (0 to 100, in steps of 0.1) of the packets in {@code direction}, at random, each
     * packet on its own; TCP retransmits, UDP datagrams are gone. A packet between two lossy nodes passes
     * both losses. At most one loss applies per link and direction: this replaces every active loss on the
     * same link whose direction overlaps (BOTH overlaps EGRESS and INGRESS), and those faults become inactive.
     * Made in the router namespace, in one nf_tables transaction. Reads {@code loss 30% egress on node a}.
     *
     * @param percent how many packets to drop, 0 to 100; rounded to a tenth
     * @param direction which packets, seen from the node (for the outside: from the network)
     * @return the loss, active until healed or replaced
     * @throws IllegalArgumentException if {@code percent} is not 0 to 100; nothing changes
     * @throws NullPointerException if {@code direction} is null
     * @throws IllegalStateException if the node or network is closed ({@link NodeClosedException} for a node)
     * @throws IsonetException if the kernel refuses the change
     */
    Fault loss(double percent, Direction direction);

    /**
     * Limits the link to {@code bitsPerSecond} each way. The same as
     * {@link #rate(long, Direction) rate(bitsPerSecond, Direction.BOTH)}.
     *
     * @param bitsPerSecond the rate, at least 8 (1_000_000 is 1 Mbit/s)
     * @return the rate limit, active until healed or replaced
     * @throws IllegalArgumentException if {@code bitsPerSecond} is below 8; nothing changes
     * @throws IllegalStateException if the node or network is closed ({@link NodeClosedException} for a node)
     * @throws IsonetException if the kernel refuses the change
     */
    default Fault rate(long bitsPerSecond) {
        return rate(bitsPerSecond, Direction.BOTH);
    }

    /**
     * Limits what crosses the link in {@code direction} to {@code bitsPerSecond} (1_000_000 is 1 Mbit/s),
     * counting whole Ethernet frames, as a token bucket (TBF) on the sending end of the link: for a node its
     * eth0 (egress) and its bridge port (ingress), for the outside the two ends of the uplink. Frames beyond
     * the rate wait in a queue of about 100 ms of the rate, and are dropped past it; a bulk TCP transfer then
     * gets about the rate, less its headers. At most one rate applies per link and direction: this replaces
     * every active rate on the same link whose direction overlaps, and those faults become inactive. Reads
     * {@code rate 1 Mbit/s egress on node a}. One rtnetlink transaction per end of the link.
     *
     * @param bitsPerSecond the rate, at least 8 (one byte a second)
     * @param direction which packets, seen from the node (for the outside: from the network)
     * @return the rate limit, active until healed or replaced
     * @throws IllegalArgumentException if {@code bitsPerSecond} is below 8 (one byte a second); nothing changes
     * @throws NullPointerException if {@code direction} is null
     * @throws IllegalStateException if the node or network is closed ({@link NodeClosedException} for a node)
     * @throws IsonetException if the kernel refuses the change; when it lacks the tbf qdisc
     *     (CONFIG_NET_SCH_TBF), its cause is an {@link UnsupportedOperationException} that says so
     */
    Fault rate(long bitsPerSecond, Direction direction);

    /**
     * Delays every packet of the link by {@code delay}, each way. The same as
     * {@link #delay(Duration, Duration, Direction) delay(delay, Duration.ZERO, Direction.BOTH)}.
     *
     * @param delay how long each packet is held
     * @return the delay, active until healed or replaced
     * @throws IllegalArgumentException if {@code delay} is negative or more than 274 s; nothing changes
     * @throws NullPointerException if {@code delay} is null
     * @throws UnsupportedOperationException if the kernel cannot delay packets, naming what is missing
     * @throws IllegalStateException if the node or network is closed ({@link NodeClosedException} for a node)
     * @throws IsonetException if the kernel refuses the change
     */
    default Fault delay(Duration delay) {
        return delay(delay, Duration.ZERO, Direction.BOTH);
    }

    /**
     * Delays every packet in {@code direction} by {@code delay}. The same as
     * {@link #delay(Duration, Duration, Direction) delay(delay, Duration.ZERO, direction)}.
     *
     * @param delay how long each packet is held
     * @param direction which packets, seen from the node (for the outside: from the network)
     * @return the delay, active until healed or replaced
     * @throws IllegalArgumentException if {@code delay} is negative or more than 274 s; nothing changes
     * @throws NullPointerException if {@code delay} or {@code direction} is null
     * @throws UnsupportedOperationException if the kernel cannot delay packets, naming what is missing
     * @throws IllegalStateException if the node or network is closed ({@link NodeClosedException} for a node)
     * @throws IsonetException if the kernel refuses the change
     */
    default Fault delay(Duration delay, Direction direction) {
        return delay(delay, Duration.ZERO, direction);
    }

    /**
     * Delays every packet of the link by {@code delay} ± {@code jitter}, each way. The same as
     * {@link #delay(Duration, Duration, Direction) delay(delay, jitter, Direction.BOTH)}.
     *
     * @param delay how long each packet is held, on average
     * @param jitter how far each packet's time may be from {@code delay}, either way
     * @return the delay, active until healed or replaced
     * @throws IllegalArgumentException if {@code delay} or {@code jitter} is negative, {@code jitter} exceeds
     *     {@code delay}, or the two add up to more than 274 s; nothing changes
     * @throws NullPointerException if {@code delay} or {@code jitter} is null
     * @throws UnsupportedOperationException if the kernel cannot delay packets, naming what is missing
     * @throws IllegalStateException if the node or network is closed ({@link NodeClosedException} for a node)
     * @throws IsonetException if the kernel refuses the change
     */
    default Fault delay(Duration delay, Duration jitter) {
        return delay(delay, jitter, Direction.BOTH);
    }

    /**
     * Holds every IP packet that crosses the link in {@code direction} for {@code delay}, plus or minus up to
     * {@code jitter}: each packet draws its own time, uniformly from {@code delay - jitter} to
     * {@code delay + jitter}, as netem does. Without jitter a flow keeps its order; with jitter packets may
     * overtake each other, as with netem. Each direction is delayed on its own: {@code delay(50 ms)} on both
     * ways adds 100 ms to a round trip through this link, and 50 ms to one way. ARP and IPv6 neighbour
     * discovery are not delayed; a node's loopback traffic never is.
     *
     * <p>Where the kernel has sch_netem, this is a netem qdisc on the sending end of the link. Without it, the
     * packets are queued to this JVM (nfnetlink_queue, after they crossed the link) and released when due: see
     * the README for its accuracy and throughput. At most one delay applies per link and direction: this
     * replaces every active delay on the same link whose direction overlaps, and those faults become
     * inactive; packets already held keep the delay they got (with netem, a heal drops them). Reads
     * {@code delay 50 ms ± 10 ms both ways on node a}.
     *
     * <pre>{@code
     * Fault far = server.delay(Duration.ofMillis(100), Duration.ofMillis(20), Direction.INGRESS);
     * }</pre>
     *
     * @param delay how long each packet is held, on average
     * @param jitter how far each packet's time may be from {@code delay}, either way; {@link Duration#ZERO} for
     *     none
     * @param direction which packets, seen from the node (for the outside: from the network)
     * @return the delay, active until healed or replaced
     * @throws IllegalArgumentException if {@code delay} or {@code jitter} is negative, {@code jitter} exceeds
     *     {@code delay}, or the two add up to more than 274 s (netem's limit); nothing changes
     * @throws NullPointerException if {@code delay}, {@code jitter} or {@code direction} is null
     * @throws UnsupportedOperationException if the kernel has neither sch_netem nor nfnetlink_queue with the
     *     xt NFQUEUE target, naming what is missing
     * @throws IllegalStateException if the node or network is closed ({@link NodeClosedException} for a node)
     * @throws IsonetException if the kernel refuses the change
     */
    Fault delay(Duration delay, Duration jitter, Direction direction);

    /**
     * Takes the link down: for a node its eth0 (its sockets see "network unreachable" on connect, and writes
     * go nowhere); for the outside the router's uplink (the host and everything beyond become unreachable).
     * Calling it again while disconnected returns the same fault. Returns once the bridge (or the host) has
     * acted on the link going down. Reads {@code node a disconnected} or {@code outside disconnected}.
     *
     * <pre>{@code
     * Fault cut = node.disconnect();
     * ...
     * node.reconnect(); // or cut.heal()
     * }</pre>
     *
     * @return the disconnection, active until {@link #reconnect()} or a heal
     * @throws IllegalStateException if the node or network is closed ({@link NodeClosedException} for a node)
     * @throws IsonetException if the kernel refuses to take the link down, or does not act on it in time
     */
    Fault disconnect();

    /**
     * Brings the link up again, restoring the addresses and routes that the kernel removed when it went down
     * (IPv6 addresses, all routes through it). The same as healing the {@link #disconnect()} fault; does
     * nothing if the link is connected, or its network is closed. Returns once the bridge (or, for the outside,
     * the host) has acted on the link coming up, so that the first packet sent after it gets through.
     *
     * @throws IsonetException if the kernel refuses to bring the link up, or does not act on it in time
     */
    void reconnect();
}
