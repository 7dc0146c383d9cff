package dev.isonet;

/**
 * The link of a {@link Node} (its eth0 and bridge port) or of a network's {@link Network#outside() outside}
 * (the router's uplink to the host): conditions on it return a {@link Fault} that {@link Fault#heal()}
 * undoes. ARP and IPv6 neighbour discovery are never dropped by a condition: faults act on IP traffic.
 */
public sealed interface Link permits Node, Outside {
    /**
     * Drops {@code percent} of the packets in both directions, at random, each packet on its own. The same
     * as {@link #loss(double, Direction) loss(percent, Direction.BOTH)}.
     */
    default Fault loss(double percent) {
        return loss(percent, Direction.BOTH);
    }

    /**
     * Drops {@code percent} (0 to 100, in steps of 0.1) of the packets in {@code direction}, at random, each
     * packet on its own; TCP retransmits, UDP datagrams are gone. A packet between two lossy nodes passes
     * both losses. At most one loss applies per link and direction: this replaces every active loss on the
     * same link whose direction overlaps (BOTH overlaps EGRESS and INGRESS), and those faults become inactive.
     * Made in the router namespace, in one nf_tables transaction.
     *
     * @throws IllegalArgumentException if {@code percent} is not 0 to 100; nothing changes
     * @throws IllegalStateException if the node or network is closed
     */
    Fault loss(double percent, Direction direction);

    /**
     * Takes the link down: for a node its eth0 (its sockets see "network unreachable" on connect, and writes
     * go nowhere); for the outside the router's uplink (the host and everything beyond become unreachable).
     * Calling it again while disconnected returns the same fault. Returns once the bridge (or the host) has
     * acted on the link going down.
     *
     * @throws IllegalStateException if the node or network is closed
     */
    Fault disconnect();

    /**
     * Brings the link up again, restoring the addresses and routes that the kernel removed when it went down
     * (IPv6 addresses, all routes through it). The same as healing the {@link #disconnect()} fault; does
     * nothing if the link is connected. Returns once the bridge (or, for the outside, the host) has acted on the link coming up, so that the
     * first packet sent after it gets through.
     */
    void reconnect();
}
