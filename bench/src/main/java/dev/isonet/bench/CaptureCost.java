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
            int rounds = quick ? 10 : 40;
            List<Double> setupOff = new ArrayList<>();
            List<Double> setupOn = new ArrayList<>();
            for (int round = 0; round <= rounds; round++) { // round 0 warms up
                for (boolean on : round % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                    System.setProperty(SETTING, Boolean.toString(on));
                    long start = System.nanoTime();
                    Network network = Network.builder().node("a", "b").build();
                    double ms = (System.nanoTime() - start) / 1e6;
                    network.close();
                    network.reaped().get(30, TimeUnit.SECONDS); // the next setup does not share the kernel with reaping
                    if (round > 0) {
                        (on ? setupOn : setupOff).add(ms);
                    }
                }
            }
            Stats off = Stats.of(setupOff);
            Stats on = Stats.of(setupOn);
            out.printf("capture (isonet.capture): on vs off, alternated%n");
            out.printf("  2-node network setup, %d rounds each: off %s ms, on %s ms (median [min..max]); on - off"
                    + " = %+.2f ms median%n", rounds, off.format(), on.format(), on.median() - off.median());

            int runs = quick ? 2 : 4;
            int rtts = quick ? 1_000 : 5_000;
            long bytes = quick ? 256L << 20 : 1L << 30;
            List<Double> rttOff = new ArrayList<>();
            List<Double> rttOn = new ArrayList<>();
            List<Double> gbpsOff = new ArrayList<>();
            List<Double> gbpsOn = new ArrayList<>();
            double readerSeconds = 0;
            long readerBytes = 0;
            String held = "";
            for (int run = 0; run < runs; run++) {
                for (boolean capture : run % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                    System.setProperty(SETTING, Boolean.toString(capture));
                    try (Network network = Network.builder().node("a", "b").nat(false).build()) {
                        long cpuBefore = readerCpuNanos();
                        double[] result = DataPath.nodeToNode(network.node("a"), network.node("b"), rtts, bytes);
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
            out.printf("  throughput on/off: %.2f; the reader thread used %.2f s of CPU per GiB captured; after the"
                    + " last run the ring held %s%n", Stats.of(gbpsOn).median() / Stats.of(gbpsOff).median(),
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
