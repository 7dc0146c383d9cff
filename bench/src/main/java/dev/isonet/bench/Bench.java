package dev.isonet.bench;

import dev.isonet.Network;
import dev.isonet.Privileges;
import dev.isonet.bench.Approach.Sample;
import dev.isonet.internal.netlink.Rtnetlink;
import dev.isonet.internal.topology.Subnet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * {@code bench [--quick] [--reps N] [--sizes 2,10,50,200]}: what a network costs with Isonet against the
 * same topology built by {@code ip}/{@code nft} processes, then cold start, where setup time goes, per-call
 * overhead, the data path, memory, and faults (apply and remove times, the accuracy of rates and delays, and
 * what a delayed link carries). Results go to stdout, progress to stderr; the last line is
 * {@code RATIO shell/isonet N=2 <x> N=50 <y>}.
 */
public final class Bench {
    static final String USAGE = "usage: bench [--quick] [--reps N] [--sizes 2,10,50,200] [--only "
            + String.join(",", Options.SECTIONS) + "]";
    static final Path CHART = Path.of("target", "isonet-bench", "setup-vs-n.svg");
    /** No approach spends more than this on one N, whatever --reps says. */
    private static final long CAP_PER_SIZE_NANOS = 300_000_000_000L;

    record Options(boolean quick, int reps, List<Integer> sizes, boolean coldChild, boolean firstTestChild,
                   int suiteChild, List<String> only) {
        /** The sections {@code --only} can pick; without it, all run. */
        static final List<String> SECTIONS = List.of("table", "cold", "breakdown", "sustained", "suite", "calls",
                "capture", "memory", "faults");

        static Options parse(String[] args) {
            boolean quick = false;
            boolean coldChild = false;
            boolean firstTestChild = false;
            int suiteChild = 0;
            List<String> only = SECTIONS;
            Integer reps = null;
            List<Integer> sizes = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case ColdStart.CHILD_FLAG -> coldChild = true;
                    case FirstTest.CHILD_FLAG -> firstTestChild = true;
                    case SuiteOverhead.CHILD_FLAG -> suiteChild = number(args, ++i, SuiteOverhead.CHILD_FLAG, 1,
                            100_000);
                    case "--only" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("--only needs a list of " + SECTIONS);
                        }
                        only = List.of(args[++i].split(","));
                        for (String section : only) {
                            if (!SECTIONS.contains(section)) {
                                throw new IllegalArgumentException("--only: no section '" + section + "'; there are "
                                        + SECTIONS);
                            }
                        }
                    }
                    case "--reps" -> reps = number(args, ++i, "--reps", 1, 1000);
                    case "--sizes" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("--sizes needs a list such as 2,10,50,200");
                        }
                        sizes = new ArrayList<>();
                        for (String size : args[++i].split(",")) {
                            sizes.add(number(new String[] {size.trim()}, 0, "--sizes", 1, 250));
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
            return new Options(quick, reps != null ? reps : quick ? 3 : 7,
                    sizes != null ? sizes : quick ? List.of(2, 10) : List.of(2, 10, 50, 200), coldChild,
                    firstTestChild, suiteChild, only);
        }

        boolean runs(String section) {
            return only.contains(section);
        }

        /** Back-to-back networks per sustained loop, by nodes per network. */
        int sustainedCount(int nodes) {
            return nodes == 2 ? (quick ? 200 : 1000) : (quick ? 60 : 300);
        }

        int suiteTests() {
            return quick ? 100 : 500;
        }

        private static int number(String[] args, int i, String option, int min, int max) {
            try {
                int value = Integer.parseInt(args[i]);
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " needs whole numbers from " + min + " to " + max);
        }
    }

    private final Options options;
    private final PrintStream out;
    /** approach name -> N -> samples after the warm-up. */
    private final Map<String, Map<Integer, List<Sample>>> results = new LinkedHashMap<>();
    private Sample firstIsonet;
    private String loadAtStart = "?";
    /** Sustained loops, in the order they ran. */
    private final List<Sustained.Result> sustained = new ArrayList<>();
    private double firstTestWarmMs = Double.NaN;

    private Bench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static int run(String[] args, PrintStream out) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            out.println("isonet bench: " + e.getMessage());
            out.println(USAGE);
            return 2;
        }
        if (options.coldChild()) {
            return ColdStart.child(out);
        }
        if (options.firstTestChild()) {
            return FirstTest.child(out);
        }
        if (options.suiteChild() > 0) {
            return SuiteOverhead.child(out, options.suiteChild());
        }
        String problem = Privileges.problem();
        if (problem != null) {
            out.println("isonet bench: " + problem);
            return 1;
        }
        return new Bench(options, out).run();
    }

    private int run() throws Exception {
        out.printf("isonet bench (%s): N = %s, %d rounds after 1 warm-up; %s%n", options.quick() ? "quick" : "full",
                options.sizes(), options.reps(), machine());
        loadAtStart = loadAverage();
        out.println("load average at start: " + loadAtStart + " (other work on this machine shows up as noise)");
        String token = BaselineTopology.pidToken();
        // Whatever ends the JVM, no baseline namespace or link of ours survives it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Command.stopStarting();
            List<String> removed = BaselineTopology.removeLeftovers(token);
            if (!removed.isEmpty()) {
                System.err.println("isonet bench: removed leftovers " + removed);
            }
        }, "isonet-bench-cleanup"));
        BaselineTopology.removeLeftovers(token);
        int status = 0;
        try (Rtnetlink host = Rtnetlink.open("host namespace")) {
            List<Approach> approaches = new ArrayList<>(List.of(new IsonetApproach()));
            Subnet subnet = BaselineTopology.pickSubnet(host);
            boolean hostIpv6 = hostIpv6();
            String skip = BaselineTools.ensure(out);
            if (skip != null) {
                out.println("baselines SKIPPED: " + skip + "; only Isonet is measured");
            } else {
                approaches.add(new ShellBaseline(token, subnet, host, hostIpv6));
                approaches.add(new BatchBaseline(token, subnet, host, hostIpv6));
                out.printf("baselines: subnet %s (free on this host), namespaces %s%s-*, host link %s%s%n", subnet,
                        BaselineTopology.NS_PREFIX, token, BaselineTopology.hostLink(token),
                        hostIpv6 ? "" : "; host IPv6 is off, so the host side is IPv4 only");
            }
            if (options.runs("table")) {
                if (!setupAndTeardown(approaches)) {
                    status = 1;
                }
                printTable();
            }
            if (options.runs("cold")) {
                section("cold start", () -> {
                    ColdStart.measure(options.quick() ? 3 : 5, out);
                    firstTestWarmMs = FirstTest.measure(options.quick() ? 3 : 5, out);
                });
            }
            if (options.runs("breakdown")) {
                section("setup breakdown", () -> SetupBreakdown.measure(options.quick() ? 5 : 15,
                        options.quick() ? 2 : 3, options.quick() ? 10 : 200, out));
            }
            if (options.runs("sustained")) {
                section("sustained", () -> sustained(token, host, hostIpv6, subnet, skip == null));
            }
            chart();
        }
        if (options.runs("suite")) {
            section("suite", () -> SuiteOverhead.measure(options.suiteTests(), out));
        }
        double[] runMicros = {Double.NaN};
        if (options.runs("calls")) {
            section("per-call overhead and data path", () -> {
                Network network = Network.builder().nat(true).node("a", "b").build();
                try {
                    runMicros[0] = CallOverhead.measure(network.node("a"), options.quick(), out);
                    DataPath.measure(network.node("a"), network.node("b"), options.quick(), out);
                } finally {
                    network.close();
                    network.reaped().get(30, TimeUnit.SECONDS);
                }
            });
        }
        if (options.runs("capture")) {
            section("capture", () -> CaptureCost.measure(options.quick(), out));
        }
        if (options.runs("memory")) {
            section("memory", () -> MemoryPerNode.measure(options.quick() ? 50 : 200, out));
        }
        if (options.runs("faults")) {
            section("faults", () -> {
                FaultTimes.run(out);
                ConditionAccuracy.run(out, options.quick());
            });
        }
        out.println("load average at end: " + loadAverage());
        goals(runMicros[0]);
        out.println(String.format("RATIO shell/isonet N=2 %s N=50 %s", ratio(2), ratio(50)));
        out.println(String.format("SUSTAINED isonet 2-node mean %s ms p99 %s ms; 5-node mean %s ms",
                Stats.number(sustainedMean(2)), Stats.number(sustainedP99(2)), Stats.number(sustainedMean(5))));
        return status;
    }

    /** The main table's rounds: per N, one warm-up round then the rounds, approaches alternated. */
    private boolean setupAndTeardown(List<Approach> approaches) {
        boolean isonetOk = true;
        for (int n : options.sizes()) {
            Map<Approach, Long> spent = new LinkedHashMap<>();
            List<Approach> active = new ArrayList<>(approaches);
            for (int round = 0; round <= options.reps(); round++) {
                for (Approach approach : List.copyOf(active)) {
                    if (spent.getOrDefault(approach, 0L) > CAP_PER_SIZE_NANOS) {
                        out.printf("  %s N=%d: stopped after %d rounds (time cap)%n", approach.name(), n, round - 1);
                        active.remove(approach);
                        continue;
                    }
                    System.err.printf("isonet bench: N=%d %s %s%n", n, round == 0 ? "warm-up" : "round " + round,
                            approach.name());
                    long start = System.nanoTime();
                    try {
                        Sample sample = approach.once(n);
                        if (firstIsonet == null && approach instanceof IsonetApproach) {
                            firstIsonet = sample;
                        }
                        if (round > 0) {
                            results.computeIfAbsent(approach.name(), k -> new TreeMap<>())
                                    .computeIfAbsent(n, k -> new ArrayList<>()).add(sample);
                        }
                    } catch (Exception e) {
                        out.printf("  %s N=%d FAILED: %s%n", approach.name(), n, e);
                        active.remove(approach);
                        isonetOk &= !(approach instanceof IsonetApproach);
                    }
                    spent.merge(approach, System.nanoTime() - start, Long::sum);
                }
            }
        }
        return isonetOk;
    }

    private void printTable() {
        out.printf("%nsetup and teardown of one network, bridge + NAT, N nodes (ms; median [min..max] of %d rounds"
                + " after 1 warm-up; approaches alternated):%n", options.reps());
        out.printf("  %4s  %-20s %5s  %-22s %-22s %-22s %-22s %s%n", "N", "approach", "procs", "setup",
                "teardown (as seen)", "teardown (reaped)", "setup+teardown", "/isonet");
        for (int n : options.sizes()) {
            for (Map.Entry<String, Map<Integer, List<Sample>>> entry : results.entrySet()) {
                List<Sample> samples = entry.getValue().get(n);
                if (samples == null) {
                    continue;
                }
                double vsIsonet = median(entry.getKey(), n, Sample::setupAndTeardownMs)
                        / median("isonet", n, Sample::setupAndTeardownMs);
                out.printf("  %4d  %-20s %5d  %-22s %-22s %-22s %-22s %s%n", n, entry.getKey(),
                        samples.get(0).processes(), stats(samples, Sample::setupMs).format(),
                        stats(samples, Sample::teardownMs).format(), stats(samples, Sample::reapedMs).format(),
                        stats(samples, Sample::setupAndTeardownMs).format(),
                        Double.isNaN(vsIsonet) ? "n/a" : String.format("%.1fx", vsIsonet));
            }
        }
        if (firstIsonet != null) {
            out.printf("  (this JVM's first Isonet network, jnr-ffi already loaded, N=%d: setup %.2f ms,"
                    + " teardown %.2f ms)%n",
                    options.sizes().get(0), firstIsonet.setupMs(), firstIsonet.teardownMs());
        }
        out.println("  teardown (reaped): from the start of teardown until nothing of the network can be reached (Isonet:"
                + " reaped(), i.e. its router reset and kept or its host link gone, polled every 2 ms; baselines: the"
                + " host link gone, polled every 0.5 ms)");
        out.println();
    }

    /**
     * Per size (2 and 5 nodes): Isonet back to back, the {@code ip -batch} baseline the same way, Isonet again;
     * each loop starts once the previous one's networks are reaped.
     */
    private void sustained(String token, Rtnetlink host, boolean hostIpv6, Subnet taken, boolean baselines)
            throws Exception {
        List<Subnet> subnets = baselines ? Sustained.subnets(host, taken, 8) : List.of();
        out.printf("networks back to back (build, close, build, ... never waiting for the kernel to reap; NAT on):%n");
        Sustained.printHeader(out);
        for (int nodes : List.of(2, 5)) {
            int count = options.sustainedCount(nodes);
            for (int run = 0; run < (baselines ? 3 : 2); run++) {
                boolean isonet = !baselines || run != 1;
                System.err.printf("isonet bench: sustained N=%d %s%n", nodes, isonet ? "isonet" : "ip -batch");
                Sustained.Result result = isonet ? Sustained.isonet(nodes, count)
                        : Sustained.batch(token, host, hostIpv6, subnets, nodes, count);
                sustained.add(result);
                Sustained.print(result, out);
            }
        }
        out.println("  mean wall: the loop's time / networks (build + close); + drain: with the time the kernel then"
                + " needed to reap what was left");
        out.println("  setup: build() (baseline: its ip/nft processes, after waiting for a slot's previous host link"
                + " to go); close: close() as the caller sees it; left: what the kernel was still reaping when the loop"
                + " ended (Isonet: routers being destroyed + node namespaces; baseline: networks), drain: until it was"
                + " done (a router kept for the next network is not being reaped)");
        out.println("  CPU/net: CPU ms per network spent by the loop's thread | Isonet's background threads (isonet-*)"
                + " | the rest of the JVM (GC, JIT); host busy: all CPUs, all processes and kernel workers (reaping"
                + " namespaces), during the loop");
    }

    private List<Sustained.Result> isonetSustained(int nodes) {
        return sustained.stream().filter(r -> r.nodes() == nodes && r.approach().equals("isonet")).toList();
    }

    /** Mean wall time per network over every Isonet loop of that size. */
    private double sustainedMean(int nodes) {
        List<Sustained.Result> runs = isonetSustained(nodes);
        double wall = runs.stream().mapToDouble(Sustained.Result::wallMs).sum();
        int count = runs.stream().mapToInt(Sustained.Result::count).sum();
        return count == 0 ? Double.NaN : wall / count;
    }

    /** The setup p99 over every Isonet loop of that size, pooled. */
    private double sustainedP99(int nodes) {
        return Stats.quantile(isonetSustained(nodes).stream().flatMapToDouble(r -> java.util.Arrays.stream(r.setupMs()))
                .toArray(), 0.99);
    }

    private void chart() {
        String[] colors = {"#1f77b4", "#d62728", "#2ca02c"};
        List<SvgChart.Series> series = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Map<Integer, List<Sample>>> entry : results.entrySet()) {
            List<SvgChart.Point> points = new ArrayList<>();
            entry.getValue().forEach((n, samples) ->
                    points.add(new SvgChart.Point(n, stats(samples, Sample::setupMs))));
            series.add(new SvgChart.Series(entry.getKey(), colors[i++ % colors.length], points));
        }
        // Back to back: the mean wall time per network (build + close), bar from setup median to setup p99.
        for (String approach : List.of("isonet", "ip -batch + nft -f")) {
            List<SvgChart.Point> points = new ArrayList<>();
            for (int nodes : List.of(2, 5)) {
                List<Sustained.Result> runs = sustained.stream()
                        .filter(r -> r.nodes() == nodes && r.approach().equals(approach)).toList();
                if (runs.isEmpty()) {
                    continue;
                }
                double[] setups = runs.stream().flatMapToDouble(r -> java.util.Arrays.stream(r.setupMs())).toArray();
                double mean = runs.stream().mapToDouble(Sustained.Result::wallMs).sum()
                        / runs.stream().mapToInt(Sustained.Result::count).sum();
                points.add(new SvgChart.Point(nodes, new Stats(mean, Stats.quantile(setups, 0.5),
                        Math.max(mean, Stats.quantile(setups, 0.99)), setups.length)));
            }
            if (!points.isEmpty()) {
                series.add(new SvgChart.Series(approach + ", back to back: mean wall/network (bar: setup p50..p99)",
                        approach.equals("isonet") ? "#9467bd" : "#8c564b", points));
            }
        }
        if (series.isEmpty()) {
            return;
        }
        try {
            SvgChart.write(CHART, "Network setup time vs nodes: Isonet vs ip/nft shell-outs",
                    machine() + "; median of " + options.reps() + " rounds; load average at start "
                            + loadAtStart.split(" ")[0], series);
            out.println("chart: " + CHART.toAbsolutePath());
        } catch (IOException | IllegalArgumentException e) {
            out.println("chart: not written: " + e.getMessage());
        }
        out.println();
    }

    private void goals(double runMicros) {
        double teardown = median("isonet", 2, Sample::teardownMs);
        out.println();
        new Goals()
                .atMost("2-node network ready (warm) <= 5 ms", median("isonet", 2, Sample::setupMs), "ms", 5)
                .atMost("teardown as the test sees it (N=2) <= 2 ms", teardown, "ms", 2)
                .atLeast("x = shell/isonet at N=2 >= 30", ratioValue(2), "x", 30)
                .atLeast("y = shell/isonet at N=50 >= 15", ratioValue(50), "x", 15)
                .atMost("200 nodes ready <= 250 ms", median("isonet", 200, Sample::setupMs), "ms", 250)
                .atMost("back to back, 2-node: mean wall <= 5 ms", sustainedMean(2), "ms", 5)
                .atMost("back to back, 2-node: setup p99 <= 15 ms", sustainedP99(2), "ms", 15)
                .atMost("back to back, 5-node: mean wall <= 10 ms", sustainedMean(5), "ms", 10)
                .atMost("first test's network, fresh JVM <= 100 ms", firstTestWarmMs, "ms", 100)
                .atMost("run() call <= 50 us", runMicros, "us", 50)
                .print(out);
    }

    private double ratioValue(int n) {
        return median("shell (1 proc/step)", n, Sample::setupAndTeardownMs) / median("isonet", n,
                Sample::setupAndTeardownMs);
    }

    private String ratio(int n) {
        double ratio = ratioValue(n);
        return Double.isNaN(ratio) ? "n/a" : String.format("%.1f", ratio);
    }

    private double median(String approach, int n, ToDoubleFunction<Sample> field) {
        List<Sample> samples = results.getOrDefault(approach, Map.of()).get(n);
        return samples == null ? Double.NaN : stats(samples, field).median();
    }

    private static Stats stats(List<Sample> samples, ToDoubleFunction<Sample> field) {
        return Stats.of(samples.stream().mapToDouble(field).toArray());
    }

    private interface Section {
        void run() throws Exception;
    }

    /** One failing section is reported and the bench goes on. */
    private void section(String name, Section section) {
        try {
            section.run();
        } catch (Exception e) {
            out.println(name + ": FAILED: " + e);
        }
        out.println();
    }

    private static boolean hostIpv6() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv6/conf/all/disable_ipv6")).strip().equals("0");
        } catch (IOException e) {
            return false;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    private static String machine() {
        String kernel = "?";
        String cpu = "?";
        try {
            kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("?");
        } catch (IOException e) {
            // the labels stay "?"
        }
        return "Linux " + kernel + ", " + Runtime.getRuntime().availableProcessors() + " CPUs (" + cpu + "), Java "
                + System.getProperty("java.version");
    }
}
