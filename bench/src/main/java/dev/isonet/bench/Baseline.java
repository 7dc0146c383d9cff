package dev.isonet.bench;

import dev.isonet.internal.netlink.Rtnetlink;
import dev.isonet.internal.topology.Subnet;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A baseline: the Isonet topology built by {@code ip}/{@code nft} processes. What differs between baselines
 * is only how the steps are cut into processes. Whatever happens, nothing it made survives a round.
 */
abstract class Baseline implements Approach {
    private static final long REAP_CAP_NANOS = 30_000_000_000L;
    private static final long POLL_NANOS = 500_000;

    private final String token;
    private final Subnet subnet;
    private final Rtnetlink host;
    private final boolean hostIpv6;

    Baseline(String token, Subnet subnet, Rtnetlink host, boolean hostIpv6) {
        this.token = token;
        this.subnet = subnet;
        this.host = host;
        this.hostIpv6 = hostIpv6;
    }

    abstract List<Command> setup(BaselineTopology topology);

    abstract List<Command> teardown(BaselineTopology topology);

    @Override
    public Sample once(int nodes) throws Exception {
        BaselineTopology topology = new BaselineTopology(token, subnet, nodes, hostIpv6);
        // Checked every round, untimed: the host may have gained a route into our subnet meanwhile.
        String conflict = BaselineTopology.conflict(subnet, host);
        if (conflict != null) {
            throw new IllegalStateException("subnet " + subnet + " now overlaps the host's " + conflict);
        }
        if (host.link(topology.hostLink()) != null || !BaselineTopology.namespaces(token).isEmpty()) {
            throw new IllegalStateException("a previous round's " + topology.hostLink() + " or namespaces remain");
        }
        List<Command> up = setup(topology);
        List<Command> down = teardown(topology);
        boolean clean = false;
        try {
            long start = System.nanoTime();
            for (Command command : up) {
                command.run();
            }
            long ready = System.nanoTime();
            for (Command command : down) {
                command.run();
            }
            long closed = System.nanoTime();
            awaitGone(topology.hostLink());
            long gone = System.nanoTime();
            clean = BaselineTopology.namespaces(token).isEmpty();
            if (!clean) {
                throw new IllegalStateException("namespaces remain after teardown: "
                        + BaselineTopology.namespaces(token));
            }
            return new Sample((ready - start) / 1e6, (closed - ready) / 1e6, (gone - ready) / 1e6,
                    up.size() + down.size());
        } finally {
            if (!clean) {
                List<String> removed = BaselineTopology.removeLeftovers(token);
                if (!removed.isEmpty()) {
                    System.err.println("isonet bench: " + name() + " failed; removed " + removed);
                }
            }
        }
    }

    /** Deleting the router namespace takes the uplink with it; the host end goes once the kernel reaped it. */
    private void awaitGone(String link) {
        long deadline = System.nanoTime() + REAP_CAP_NANOS;
        while (host.link(link) != null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(link + " still on the host 30 s after its namespace was deleted");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
