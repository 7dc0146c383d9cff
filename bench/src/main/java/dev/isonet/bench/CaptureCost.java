package dev.isonet.bench;

import dev.isonet.Network;
import dev.isonet.internal.diagnostics.Capture;
import dev.isonet.internal.diagnostics.NetworkAccess;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the packet capture costs: 2-node network setup and node-to-node TCP (round trips and bulk throughput) with
 * isonet.capture on and off, alternated; the capture reader thread's CPU time; and, for the design choice of one
 * shared reader thread, what starting a thread per network would add to each setup.
 */
final class CaptureCost {
    private static final String SETTING = "isonet.capture";

    private CaptureCost() {}

    static void measure(boolean quick, PrintStream out) throws Exception {
        String before = System.getProperty(SETTING);
        try {
            int rounds = quick ? 10 : 60;
            List<Double> setupOff = new ArrayList<>();
            List<Double> setupOn = new ArrayList<>();
            java.util.Map<String, List<Double>> steps = new java.util.HashMap<>();
            // Blocks of builds with one setting, alternated: the spare router of a build is made after the build
            // before it, with the setting then in force, as it is when the setting does not change.
            int block = 5;
            for (int b = 0; b < 2 * rounds / block; b++) {
                boolean on = b % 2 == 1;
                System.setProperty(SETTING, Boolean.toString(on));
                for (int i = 0; i <= block; i++) { // the first of a block only takes the spare of the other setting
                    dev.isonet.internal.topology.Trace.record(on && i > 0 ? steps : null);
                    long start = System.nanoTime();
                    Network network = Network.builder().node("a", "b").build();
                    double ms = (System.nanoTime() - start) / 1e6;
                    dev.isonet.internal.topology.Trace.record(null);
                    network.close();
                    network.reaped().get(30, TimeUnit.SECONDS); // the next setup does not share the kernel with reaping
                    if (i > 0) {
                        (on ? setupOn : setupOff).add(ms);
                    }
                }
            }
            Stats off = Stats.of(setupOff);
            Stats on = Stats.of(setupOn);
            double[] paired = new double[setupOn.size()];
            for (int i = 0; i < paired.length; i++) {
                paired[i] = setupOn.get(i) - setupOff.get(i); // the i-th build of neighbouring blocks
            }
            out.printf("capture (isonet.capture): on vs off, alternated%n");
            out.printf("  2-node network setup, %d builds each, in blocks of 5: off %s ms, on %s ms (median [min..max]);"
                    + " on - off"
                    + " (builds of neighbouring blocks paired): %+.2f ms median, %+.2f .. %+.2f ms p25 .. p75%n",
                    rounds, off.format(),
                    on.format(), Stats.quantile(paired, 0.5), Stats.quantile(paired, 0.25),
                    Stats.quantile(paired, 0.75));
            out.printf("  the build's step that starts the capture: %s ms (median [min..max])%n",
                    Stats.of(steps.getOrDefault("router: start the capture", List.of())).format());

            double[] micros = prepareAndStartMicros(quick ? 20 : 100);
            out.printf("  one capture, median of %d: making its socket, filter and 1 MiB kernel ring, and binding it (done ahead of need, with"
                    + " the spare router) %.0f us; starting it in a build %.0f us%n", quick ? 20 : 100,
                    micros[0], micros[1]);

            int runs = quick ? 2 : 8;
            int rtts = quick ? 1_000 : 2_000;
            long bytes = quick ? 256L << 20 : 512L << 20;
            List<Double> rttOff = new ArrayList<>();
            List<Double> rttOn = new ArrayList<>();
            List<Double> gbpsOff = new ArrayList<>();
            List<Double> gbpsOn = new ArrayList<>();
            List<Double> cpuOff = new ArrayList<>();
            List<Double> cpuOn = new ArrayList<>();
            double readerSeconds = 0;
            long readerBytes = 0;
            String held = "";
            for (int run = 0; run < runs; run++) {
                for (boolean capture : run % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                    System.setProperty(SETTING, Boolean.toString(capture));
                    try (Network network = Network.builder().node("a", "b").nat(false).build()) {
                        long cpuBefore = readerCpuNanos();
                        long processBefore = processCpuNanos();
                        double[] result = DataPath.nodeToNode(network.node("a"), network.node("b"), rtts, bytes);
                        (capture ? cpuOn : cpuOff).add((processCpuNanos() - processBefore) / 1e9);
                        (capture ? rttOn : rttOff).add(result[0]);
                        (capture ? gbpsOn : gbpsOff).add(result[1]);
                        if (capture) {
                            readerSeconds += (readerCpuNanos() - cpuBefore) / 1e9;
                            readerBytes += bytes;
                            Capture running = NetworkAccess.of(network).capture();
                            held = running == null ? "no capture" : running.summary().toString();
                        }
                    }
                }
            }
            out.printf("  node-to-node TCP, %d runs each of %d round trips and %d MiB: throughput off %s, on %s"
                    + " Gbit/s; RTT off %s, on %s us (median [min..max])%n", runs, rtts, bytes >> 20,
                    Stats.of(gbpsOff).format(), Stats.of(gbpsOn).format(), Stats.of(rttOff).format(),
                    Stats.of(rttOn).format());
            double[] throughputRatio = new double[runs];
            double[] rttDifference = new double[runs];
            for (int i = 0; i < runs; i++) { // each run measured both ways back to back: paired against drifting load
                throughputRatio[i] = gbpsOn.get(i) / gbpsOff.get(i);
                rttDifference[i] = rttOn.get(i) - rttOff.get(i);
            }
            out.printf("  paired by run: throughput on/off %.2f median [%.2f..%.2f]; RTT on - off %+.1f us median"
                    + " [%+.1f..%+.1f]%n", Stats.quantile(throughputRatio, 0.5), Stats.of(throughputRatio).min(),
                    Stats.of(throughputRatio).max(), Stats.quantile(rttDifference, 0.5), Stats.of(rttDifference).min(),
                    Stats.of(rttDifference).max());
            out.printf("  CPU time of this JVM (its threads and the kernel work done on them) per run: off %s s, on %s s"
                    + " (median [min..max]; less sensitive to other load than the times above)%n",
                    Stats.of(cpuOff).format(), Stats.of(cpuOn).format());
            out.printf("  the reader thread used %.2f s of CPU per GiB captured; after the last run the ring held %s%n",
                    readerSeconds / (readerBytes / (double) (1L << 30)), held);
            out.printf("  a reader thread per network instead of the shared one would add a thread start to each"
                    + " setup: %.1f us median%n", threadStartMicros(quick ? 50 : 200));
        } finally {
            if (before == null) {
                System.clearProperty(SETTING);
            } else {
                System.setProperty(SETTING, before);
            }
        }
    }

    /**
     * Median times of making a capture socket with its ring in a router's namespace (what a spare router does ahead
     * of need) and of starting it (what a network's build does), in microseconds.
     */
    private static double[] prepareAndStartMicros(int rounds) {
        double[] prepare = new double[rounds];
        double[] start = new double[rounds];
        try (Network network = Network.builder().nat(false).build()) {
            int netFd = NetworkAccess.of(network).routerNetFd();
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                Capture.Prepared prepared = dev.isonet.internal.ns.HostNamespaces.inNetwork(netFd, "bench",
                        () -> Capture.prepare("bench", dev.isonet.internal.topology.Router.BRIDGE,
                                dev.isonet.internal.topology.Router.FIRST_PORT, 1514));
                long t1 = System.nanoTime();
                Capture capture = Capture.start(prepared, dev.isonet.internal.topology.Router.BRIDGE,
                        dev.isonet.internal.topology.Router.FIRST_PORT, 1514, 8 << 20);
                long t2 = System.nanoTime();
                capture.close();
                prepare[i] = (t1 - t0) / 1e3;
                start[i] = (t2 - t1) / 1e3;
            }
        }
        return new double[] {Stats.quantile(prepare, 0.5), Stats.quantile(start, 0.5)};
    }

    /** CPU time of this process so far, user and system. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU time of the capture reader thread so far (0 before it exists). */
    private static long readerCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("isonet-capture")) {
                return Math.max(0, threads.getThreadCpuTime(thread.getId()));
            }
        }
        return 0;
    }

    /** Median time for one thread to start and run (to its first instruction), in microseconds. */
    private static double threadStartMicros(int rounds) throws InterruptedException {
        double[] micros = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
            long start = System.nanoTime();
            Thread thread = new Thread(running::countDown, "bench-thread-start");
            thread.setDaemon(true);
            thread.start();
            running.await();
            micros[i] = (System.nanoTime() - start) / 1e3;
            thread.join();
        }
        return Stats.quantile(micros, 0.5);
    }
}
