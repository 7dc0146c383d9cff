package dev.isonet.bench;

import dev.isonet.Network;
import dev.isonet.internal.netlink.Rtnetlink;
import dev.isonet.internal.topology.Reaping;
import dev.isonet.internal.topology.Subnet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Networks back to back, as a test suite builds them: build, close, build, close, ... as fast as possible in
 * one JVM, never waiting for the kernel to reap what was closed. Per loop: mean wall time per network (build +
 * close), setup median/p90/p99/max, how many of the loop's networks are still on the host when it ends, how
 * long they then take to go, and the CPU time spent meanwhile by the loop's thread, Isonet's background
 * threads and the rest of the JVM, per network. The same loop for the {@code ip -batch} baseline.
 */
final class Sustained {
    /** No drain waits longer than this. */
    private static final long DRAIN_CAP_NANOS = 120_000_000_000L;
    /** The baseline cycles through this many subnets and names, each reused only once its host link is gone. */
    private static final int BASELINE_SLOTS = 8;

    /** One loop's results; times in ms. */
    record Result(String approach, int nodes, int count, double wallMs, double[] setupMs, double[] closeMs,
                  ThreadCpu.Spent cpu, int leftAtEnd, double drainMs, String load) {
        double meanMs() {
            return wallMs / count;
        }

        double meanWithDrainMs() {
            return (wallMs + drainMs) / count;
        }
    }

    private Sustained() {}

    /** {@code count} Isonet networks of {@code nodes} nodes, NAT on, back to back. */
    static Result isonet(int nodes, int count) {
        String[] names = IsonetApproach.names(nodes);
        String load = loadAverage();
        double[] setup = new double[count];
        double[] close = new double[count];
        long tid = ThreadCpu.currentThreadId();
        ThreadCpu.Snapshot before = ThreadCpu.take();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            Network network = Network.builder().nat(true).node(names).build();
            long t1 = System.nanoTime();
            network.close();
            long t2 = System.nanoTime();
            setup[i] = (t1 - t0) / 1e6;
            close[i] = (t2 - t1) / 1e6;
        }
        long end = System.nanoTime();
        ThreadCpu.Snapshot after = ThreadCpu.take();
        Reaping.Count left = Reaping.now();
        long drainStart = System.nanoTime();
        while (!Reaping.now().none() && System.nanoTime() - drainStart < DRAIN_CAP_NANOS) {
            LockSupport.parkNanos(2_000_000);
        }
        double drain = (System.nanoTime() - drainStart) / 1e6;
        return new Result("isonet", nodes, count, (end - start) / 1e6, setup, close,
                ThreadCpu.between(before, after, tid), left.routers() + left.nodes(), drain, load);
    }

    /**
     * {@code count} networks built by the {@code ip -batch} baseline, back to back: each round deletes its
     * namespaces and goes on at once. Rounds cycle through {@value #BASELINE_SLOTS} name sets and subnets, and a
     * slot is reused only once its previous host link is gone (Isonet's rule too: no name or route still being
     * reaped is reused); that wait counts.
     */
    static Result batch(String token, Rtnetlink host, boolean hostIpv6, List<Subnet> subnets, int nodes, int count)
            throws Exception {
        BatchBaseline baseline = new BatchBaseline(token, subnets.get(0), host, hostIpv6);
        String load = loadAverage();
        List<String> links = new ArrayList<>(count);
        double[] setup = new double[count];
        double[] close = new double[count];
        long tid = ThreadCpu.currentThreadId();
        List<String> slots = new ArrayList<>();
        for (int s = 0; s < BASELINE_SLOTS; s++) {
            slots.add(slotToken(token, s));
        }
        ThreadCpu.Snapshot before = ThreadCpu.take();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < count; i++) {
                int slot = i % BASELINE_SLOTS;
                BaselineTopology topology = new BaselineTopology(slots.get(slot), subnets.get(slot), nodes, hostIpv6);
                long t0 = System.nanoTime();
                awaitGone(topology.hostLink());
                for (Command command : baseline.setup(topology)) {
                    command.run();
                }
                long t1 = System.nanoTime();
                links.add(topology.hostLink());
                for (Command command : baseline.teardown(topology)) {
                    command.run();
                }
                long t2 = System.nanoTime();
                setup[i] = (t1 - t0) / 1e6;
                close[i] = (t2 - t1) / 1e6;
            }
        } finally {
            for (String slot : slots) {
                BaselineTopology.removeLeftovers(slot);
            }
        }
        long end = System.nanoTime();
        ThreadCpu.Snapshot after = ThreadCpu.take();
        List<String> distinct = links.subList(Math.max(0, links.size() - BASELINE_SLOTS), links.size());
        int left = present(distinct);
        double drain = drain(distinct);
        return new Result(baseline.name(), nodes, count, (end - start) / 1e6, setup, close,
                ThreadCpu.between(before, after, tid), left, drain, load);
    }

    /** The baseline's name set for one slot: within IFNAMSIZ, and cleaned up with the bench's own token. */
    static String slotToken(String token, int slot) {
        return token + "-s" + slot;
    }

    /** {@code count} free /24s of the baseline pool, none of them {@code taken}. */
    static List<Subnet> subnets(Rtnetlink host, Subnet taken, int count) {
        List<Subnet> found = new ArrayList<>();
        int start = (int) ((ProcessHandle.current().pid() + 17) % 256);
        for (int i = 0; i < 256 && found.size() < count; i++) {
            Subnet candidate = new Subnet(BaselineTopology.POOL.base() + ((start + i) % 256) * 256, 24);
            if (!candidate.overlaps(taken) && BaselineTopology.conflict(candidate, host) == null) {
                found.add(candidate);
            }
        }
        if (found.size() < count) {
            throw new IllegalStateException("fewer than " + count + " free /24s in " + BaselineTopology.POOL);
        }
        return found;
    }

    private static void awaitGone(String link) {
        long deadline = System.nanoTime() + DRAIN_CAP_NANOS;
        while (Files.exists(Path.of("/sys/class/net", link))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(link + " still on the host long after its namespace was deleted");
            }
            LockSupport.parkNanos(200_000);
        }
    }

    private static int present(List<String> links) {
        int present = 0;
        for (String link : links) {
            if (Files.exists(Path.of("/sys/class/net", link))) {
                present++;
            }
        }
        return present;
    }

    /** Waits until none of {@code links} is on the host; the time it took, in ms. */
    private static double drain(List<String> links) {
        long start = System.nanoTime();
        List<String> left = new ArrayList<>(links);
        while (!left.isEmpty() && System.nanoTime() - start < DRAIN_CAP_NANOS) {
            left.removeIf(link -> !Files.exists(Path.of("/sys/class/net", link)));
            if (!left.isEmpty()) {
                LockSupport.parkNanos(1_000_000);
            }
        }
        return (System.nanoTime() - start) / 1e6;
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static void printHeader(PrintStream out) {
        out.printf("  %-20s %2s %5s  %9s %9s  %-30s %7s %7s  %-9s %-22s %s%n", "approach", "N", "nets", "mean wall",
                "+ drain", "setup median/p90/p99/max", "close", "left", "drain", "CPU/net loop|bg|jvm",
                "host busy, load");
    }

    static void print(Result r, PrintStream out) {
        ThreadCpu.Spent cpu = r.cpu();
        out.printf("  %-20s %2d %5d  %9s %9s  %-30s %7s %7s  %-9s %-22s %s%n", r.approach(), r.nodes(), r.count(),
                Stats.number(r.meanMs()), Stats.number(r.meanWithDrainMs()),
                Stats.number(Stats.quantile(r.setupMs(), 0.5)) + "/" + Stats.number(Stats.quantile(r.setupMs(), 0.9))
                        + "/" + Stats.number(Stats.quantile(r.setupMs(), 0.99)) + "/"
                        + Stats.number(Stats.quantile(r.setupMs(), 1.0)),
                Stats.number(mean(r.closeMs())), r.leftAtEnd() + "", Stats.number(r.drainMs()),
                Stats.number(cpu.caller() / 1e6 / r.count()) + "|" + Stats.number(cpu.isonet() / 1e6 / r.count()) + "|"
                        + Stats.number(cpu.otherJvm() / 1e6 / r.count()),
                String.format("%.0f%%, %s", 100 * cpu.hostBusyShare(), r.load()));
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }
}
