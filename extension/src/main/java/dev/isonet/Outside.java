package dev.isonet;

import org.apiguardian.api.API;

/**
 * Everything outside one network, as its nodes see it: the network's router itself (the gateway address),
 * the host, and everything beyond the uplink (with NAT: other hosts, {@link ExternalHost}s). It is an
 * {@link Endpoint} of partitions and blocks, and its {@link Link} is the router's uplink. Get it with
 * {@link Network#outside()}.
 *
 * <pre>{@code
 * Fault internetDown = network.block(app, network.outside());  // app reaches no one beyond the network
 * network.outside().loss(20);                                  // 20% of what crosses the uplink, each way
 * network.outside().delay(Duration.ofMillis(80));              // a far internet: +160 ms per round trip
 * network.outside().rate(10_000_000, Direction.INGRESS);       // a 10 Mbit/s download
 * }</pre>
 *
 * <p>Each network has one outside, the same object at each call of {@link Network#outside()}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Outside implements Endpoint, Link {
    private final Network network;
    private final NetworkFaults faults;

    Outside(Network network, NetworkFaults faults) {
        this.network = network;
        this.faults = faults;
    }

    /**
     * The network this is the outside of.
     *
     * @return the network whose uplink this is
     */
    public Network network() {
        return network;
    }

    /**
     * The name faults call it by.
     *
     * @return {@code outside}
     */
    @Override
    public String name() {
        return "outside";
    }

    /**
     * Loss on the uplink: {@link Direction#EGRESS} is what the network sends out (to the host and beyond),
     * {@link Direction#INGRESS} what comes in. Reads {@code loss 20% both ways on outside}. See
     * {@link Link#loss(double, Direction)}.
     *
     * @param percent how many packets to drop, 0 to 100; rounded to a tenth
     * @param direction which packets, seen from the network
     * @return the loss, active until healed or replaced
     * @throws IllegalArgumentException if {@code percent} is not 0 to 100; nothing changes
     * @throws NullPointerException if {@code direction} is null
     * @throws IllegalStateException if the network is closed
     * @throws IsonetException if the kernel refuses the change
     */
    @Override
    public Fault loss(double percent, Direction direction) {
        return faults.loss(this, percent, direction);
    }

    /**
     * A rate limit on the uplink: {@link Direction#EGRESS} is what the network sends out, {@link Direction#INGRESS}
     * what comes in. Reads {@code rate 10 Mbit/s ingress on outside}. See {@link Link#rate(long, Direction)}.
     *
     * @param bitsPerSecond the rate, at least 8 (one byte a second)
     * @param direction which packets, seen from the network
     * @return the rate limit, active until healed or replaced
     * @throws IllegalArgumentException if {@code bitsPerSecond} is below 8; nothing changes
     * @throws NullPointerException if {@code direction} is null
     * @throws IllegalStateException if the network is closed
     * @throws IsonetException if the kernel refuses the change (its cause says when the kernel lacks the tbf
     *     qdisc)
     */
    @Override
    public Fault rate(long bitsPerSecond, Direction direction) {
        return faults.rate(this, bitsPerSecond, direction);
    }

    /**
     * A delay on the uplink: {@link Direction#EGRESS} is what the network sends out, {@link Direction#INGRESS}
     * what comes in. Reads {@code delay 80 ms both ways on outside}. See
     * {@link Link#delay(java.time.Duration, java.time.Duration, Direction)}.
     *
     * @param delay how long each packet is held, on average
     * @param jitter how far each packet's time may be from {@code delay}, either way; {@code Duration.ZERO} for
     *     none
     * @param direction which packets, seen from the network
     * @return the delay, active until healed or replaced
     * @throws IllegalArgumentException if {@code delay} or {@code jitter} is negative, {@code jitter} exceeds
     *     {@code delay}, or the two add up to more than 274 s; nothing changes
     * @throws NullPointerException if {@code delay}, {@code jitter} or {@code direction} is null
     * @throws UnsupportedOperationException if the kernel cannot delay packets, naming what is missing
     * @throws IllegalStateException if the network is closed
     * @throws IsonetException if the kernel refuses the change
     */
    @Override
    public Fault delay(java.time.Duration delay, java.time.Duration jitter, Direction direction) {
        return faults.delay(this, delay, jitter, direction);
    }

    /**
     * Takes the router's uplink down: the host and everything beyond become unreachable for every node, while
     * the nodes still reach each other. Calling it again while disconnected returns the same fault. Reads
     * {@code outside disconnected}. See {@link Link#disconnect()}.
     *
     * @return the disconnection, active until {@link #reconnect()} or a heal
     * @throws IllegalStateException if the network is closed
     * @throws IsonetException if the kernel refuses to take the uplink down, or does not act on it in time
     */
    @Override
    public Fault disconnect() {
        return faults.disconnect(this);
    }

    /**
     * Brings the router's uplink up again, with the IPv6 address and routes the kernel removed when it went down;
     * does nothing if it is up, or the network is closed. See {@link Link#reconnect()}.
     *
     * @throws IsonetException if the kernel refuses to bring the uplink up, or does not act on it in time
     */
    @Override
    public void reconnect() {
        faults.reconnect(this);
    }

    /**
     * The outside for messages.
     *
     * @return {@code outside of network} and the network's subnet
     */
    @Override
    public String toString() {
        return "outside of network " + network.subnet();
    }
}
