package dev.isonet.bench;

import dev.isonet.Fault;
import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.Partitions;
import dev.isonet.Direction;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * How long applying and removing each kind of fault takes, on a 5-node network: median and max over
 * {@value #ROUNDS} rounds, after {@value #WARM_UP} unmeasured rounds of every kind, in milliseconds. Each apply and each
 * remove is one netlink transaction (an nf_tables batch in the router, or one rtnetlink request in the node
 * or router), except a rate or delay on both ways (one per end of the link) and, without netem, a node's
 * egress delay (one nf_tables batch in every namespace its packets may reach: the other nodes and the
 * router); the goal is at most 2 ms each.
 */
final class FaultTimes {
    static final int ROUNDS = 31;
    static final int WARM_UP = 20;
    private static final double GOAL_MILLIS = 2.0;

    private FaultTimes() {}

    /** One kind of fault: how to make it, and how to undo it. */
    private record Kind(String name, Supplier<Fault> apply) {}

    public static void run(PrintStream out) {
        try (Network network = Network.builder().node("n0", "n1", "n2", "n3", "n4").build()) {
            List<Node> nodes = network.nodes();
            Node n0 = nodes.get(0);
            List<Kind> kinds = List.of(
                    new Kind("partition [n0, n1] | [n2, n3, n4]",
                            () -> network.partition(nodes.subList(0, 2), nodes.subList(2, 5))),
                    new Kind("majorities ring of 5", () -> Partitions.majoritiesRing(nodes)),
                    new Kind("isolate n0", () -> network.isolate(n0)),
                    new Kind("block n0 -> n1", () -> network.block(n0, nodes.get(1))),
                    new Kind("block n0 -> outside", () -> network.block(n0, network.outside())),
                    new Kind("loss 30% on n0", () -> n0.loss(30)),
                    new Kind("loss 30% on outside", () -> network.outside().loss(30)),
                    new Kind("rate 1 Mbit/s on n0", () -> n0.rate(1_000_000)),
                    new Kind("rate 1 Mbit/s on outside", () -> network.outside().rate(1_000_000)),
                    new Kind("delay 10 ms ± 2 ms ingress on n0",
                            () -> n0.delay(Duration.ofMillis(10), Duration.ofMillis(2), Direction.INGRESS)),
                    new Kind("delay 10 ms egress on n0", () -> n0.delay(Duration.ofMillis(10), Direction.EGRESS)),
                    new Kind("delay 10 ms on outside", () -> network.outside().delay(Duration.ofMillis(10))),
                    new Kind("disconnect / reconnect n0", n0::disconnect),
                    new Kind("disconnect / reconnect outside", () -> network.outside().disconnect()));
            out.println("Faults on a 5-node network: apply and remove, ms (median / max of " + ROUNDS + ")");
            out.println(String.format(Locale.ROOT, "%-34s %16s %16s", "fault", "apply", "remove"));
            // Every kind first, unmeasured: the code paths they share are compiled before the first row.
            for (int round = 0; round < WARM_UP; round++) {
                for (Kind kind : kinds) {
                    kind.apply().get().heal();
                }
            }
            boolean withinGoal = true;
            for (Kind kind : kinds) {
                double[] apply = new double[ROUNDS];
                double[] remove = new double[ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    long start = System.nanoTime();
                    Fault fault = kind.apply().get();
                    long applied = System.nanoTime();
                    fault.heal();
                    long removed = System.nanoTime();
                    apply[round] = (applied - start) / 1e6;
                    remove[round] = (removed - applied) / 1e6;
                }
                out.println(String.format(Locale.ROOT, "%-34s %7.3f / %6.3f %7.3f / %6.3f", kind.name(),
                        median(apply), max(apply), median(remove), max(remove)));
                withinGoal &= median(apply) <= GOAL_MILLIS && median(remove) <= GOAL_MILLIS;
            }
            out.println("FAULTS median within " + GOAL_MILLIS + " ms: " + (withinGoal ? "yes" : "no"));
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

}
