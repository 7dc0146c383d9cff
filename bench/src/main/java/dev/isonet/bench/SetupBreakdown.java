package dev.isonet.bench;

import dev.isonet.Network;
import dev.isonet.internal.topology.Trace;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where Isonet's setup time goes: its own steps, recorded as {@code -Disonet.trace=true} prints them, over
 * 2-node networks built as a test gets them; then the API steps of a big network ({@code Network.create()}
 * with no node, then each {@code addNode()}), to show how a node's cost changes with the network's size.
 */
final class SetupBreakdown {
    private SetupBreakdown() {}

    static void measure(int smallReps, int bigReps, int bigNodes, PrintStream out) throws Exception {
        Map<String, List<Double>> steps = new LinkedHashMap<>();
        List<Double> totals = new ArrayList<>();
        for (int rep = 0; rep < smallReps; rep++) {
            Trace.record(steps);
            long start = System.nanoTime();
            Network network;
            try {
                network = Network.builder().node("a", "b").build();
            } finally {
                Trace.record(null);
            }
            totals.add((System.nanoTime() - start) / 1e6);
            network.close();
            network.reaped().get(30, TimeUnit.SECONDS);
        }
        out.printf("where a warm 2-node setup goes (ms, median [min..max] of %d networks, each built once the"
                + " previous one was reaped; Isonet's own steps, as -Disonet.trace=true prints them; a step that"
                + " not every build takes, such as making a router when none is kept, says how often it ran):%n",
                smallReps);
        double perBuild = 0;
        for (Map.Entry<String, List<Double>> step : steps.entrySet()) {
            List<Double> times = step.getValue();
            perBuild += times.stream().mapToDouble(Double::doubleValue).sum() / smallReps;
            out.printf("  %-52s %s%s%n", step.getKey(), Stats.of(times).format(),
                    times.size() == smallReps ? "" : "  (" + times.size() + " times in " + smallReps + " builds)");
        }
        Stats total = Stats.of(totals);
        out.printf("  %-52s %s%n", "whole build()", total.format());
        out.printf("  => per build, the steps take %.2f ms on average of the %.2f ms that build() takes on average%n",
                perBuild, totals.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));

        List<Double> create = new ArrayList<>();
        List<Double> firstNodes = new ArrayList<>();
        List<Double> lastNodes = new ArrayList<>();
        for (int rep = 0; rep < bigReps; rep++) {
            long start = System.nanoTime();
            Network network = Network.create();
            create.add((System.nanoTime() - start) / 1e6);
            try {
                for (int i = 0; i < bigNodes; i++) {
                    long t = System.nanoTime();
                    network.addNode("n" + i);
                    double ms = (System.nanoTime() - t) / 1e6;
                    (i < 10 ? firstNodes : i >= bigNodes - 10 ? lastNodes : new ArrayList<Double>()).add(ms);
                }
            } finally {
                network.close();
                network.reaped().get(60, TimeUnit.SECONDS);
            }
        }
        out.printf("a network grown node by node (ms, median [min..max]; %d networks of %d nodes):%n", bigReps, bigNodes);
        out.printf("  %-52s %s%n", "Network.create(): router, NAT, host side", Stats.of(create).format());
        out.printf("  %-52s %s%n", "addNode(), nodes 1-10, each", Stats.of(firstNodes).format());
        if (bigNodes > 10) {
            out.printf("  %-52s %s%n", "addNode(), nodes " + (bigNodes - 9) + "-" + bigNodes + ", each",
                    Stats.of(lastNodes).format());
        }
    }
}
