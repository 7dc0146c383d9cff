package dev.isonet.bench;

import dev.isonet.Network;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The first network in a fresh JVM against later ones. Each fresh JVM is a child started from the same
 * class path ({@code bench --cold-child}); it builds a 2-node network {@value #NETWORKS} times and prints
 * one line of times, which the parent collects.
 */
final class ColdStart {
    static final String CHILD_FLAG = "--cold-child";
    private static final int NETWORKS = 6;
    private static final String MARK = "COLD ";
    private static final long CHILD_TIMEOUT_SECONDS = 60;

    private ColdStart() {}

    /** In the child: first setup, first teardown, later setups..., JVM uptime when the first was ready. */
    static int child(PrintStream out) throws Exception {
        StringBuilder line = new StringBuilder(MARK);
        long uptimeAtReady = 0;
        // Initialising LibC loads jnr-ffi and generates the native binding: timed apart, and added to the first.
        long loading = System.nanoTime();
        Class.forName("dev.isonet.internal.linux.LibC", true, ColdStart.class.getClassLoader());
        double bindingMs = (System.nanoTime() - loading) / 1e6;
        for (int i = 0; i < NETWORKS; i++) {
            long start = i == 0 ? loading : System.nanoTime();
            Network network = Network.builder().nat(true).node("a", "b").build();
            long ready = System.nanoTime();
            if (i == 0) {
                uptimeAtReady = ManagementFactory.getRuntimeMXBean().getUptime();
            }
            network.close();
            long closed = System.nanoTime();
            network.reaped().get(30, TimeUnit.SECONDS);
            line.append(String.format("%.3f %.3f ", (ready - start) / 1e6, (closed - ready) / 1e6));
        }
        out.println(line.append(uptimeAtReady).append(String.format(" %.3f", bindingMs)));
        return 0;
    }

    /** Starts {@code children} fresh JVMs, one after the other, and prints what they measured. */
    static void measure(int children, PrintStream out) throws Exception {
        List<Double> firstSetup = new ArrayList<>();
        List<Double> firstTeardown = new ArrayList<>();
        List<Double> laterSetup = new ArrayList<>();
        List<Double> laterTeardown = new ArrayList<>();
        List<Double> uptime = new ArrayList<>();
        List<Double> wall = new ArrayList<>();
        List<Double> binding = new ArrayList<>();
        for (int c = 0; c < children; c++) {
            long start = System.nanoTime();
            String[] f = ChildJvm.run("cold-start", List.of(), List.of(CHILD_FLAG), MARK, CHILD_TIMEOUT_SECONDS);
            wall.add((System.nanoTime() - start) / 1e6);
            for (int i = 0; i < NETWORKS; i++) {
                (i == 0 ? firstSetup : laterSetup).add(Double.parseDouble(f[2 * i]));
                (i == 0 ? firstTeardown : laterTeardown).add(Double.parseDouble(f[2 * i + 1]));
            }
            uptime.add(Double.parseDouble(f[2 * NETWORKS]));
            binding.add(Double.parseDouble(f[2 * NETWORKS + 1]));
        }
        out.printf("cold vs warm (2 nodes, NAT; %d fresh JVMs, %d networks each; ms, median [min..max]):%n",
                children, NETWORKS);
        out.printf("  %-44s setup %-22s teardown %s%n", "first network in a fresh JVM",
                Stats.of(firstSetup).format(), Stats.of(firstTeardown).format());
        out.printf("  %-44s %s%n", "  of which loading the jnr-ffi libc binding", Stats.of(binding).format());
        out.printf("  %-44s setup %-22s teardown %s%n", "networks 2.." + NETWORKS + " in the same JVM",
                Stats.of(laterSetup).format(), Stats.of(laterTeardown).format());
        out.printf("  %-44s %s (child JVM wall time %s)%n", "JVM start to first network ready",
                Stats.of(uptime).format(), Stats.of(wall).format());
    }
}
