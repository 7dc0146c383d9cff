package dev.isonet;

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
 */
public final class Outside implements Endpoint, Link {
    private final Network network;
    private final NetworkFaults faults;

    Outside(Network network, NetworkFaults faults) {
        this.network = network;
        this.faults = faults;
    }

    public Network network() {
        return network;
    }

    /** {@code outside}. */
    @Override
    public String name() {
        return "outside";
    }

    /**
     * Loss on the uplink: {@link Direction#EGRESS} is what the network sends out (to the host and beyond),
     * {@link Direction#INGRESS} what comes in. See {@link Link#loss(double, Direction)}.
     */
    @Override
    public Fault loss(double percent, Direction direction) {
        return faults.loss(this, percent, direction);
    }

    /**
     * A rate limit on the uplink: {@link Direction#EGRESS} is what the network sends out, {@link Direction#INGRESS}
     * what comes in. See {@link Link#rate(long, Direction)}.
     */
    @Override
    public Fault rate(long bitsPerSecond, Direction direction) {
        return faults.rate(this, bitsPerSecond, direction);
    }

    /**
     * A delay on the uplink: {@link Direction#EGRESS} is what the network sends out, {@link Direction#INGRESS}
     * what comes in. See {@link Link#delay(java.time.Duration, java.time.Duration, Direction)}.
     */
    @Override
    public Fault delay(java.time.Duration delay, java.time.Duration jitter, Direction direction) {
        return faults.delay(this, delay, jitter, direction);
    }

    @Override
    public Fault disconnect() {
        return faults.disconnect(this);
    }

    @Override
    public void reconnect() {
        faults.reconnect(this);
    }

    @Override
    public String toString() {
        return "outside of network " + network.subnet();
    }
}
