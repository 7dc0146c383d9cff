package dev.isonet.bench;

import dev.isonet.Network;
import dev.isonet.Node;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a node costs the JVM and the host: used heap after GC, RSS (VmRSS), fds and threads, before and
 * after a network of N nodes, and again once every node has run one task (which starts its pooled thread).
 * Kernel memory (Slab + KernelStack from /proc/meminfo) is host-wide, so other activity shows up in it.
 */
final class MemoryPerNode {
    private record Snapshot(long heapBytes, long rssKib, long fds, int threads, long kernelKib) {
        static Snapshot take() throws InterruptedException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(50);
            }
            Runtime runtime = Runtime.getRuntime();
            return new Snapshot(runtime.totalMemory() - runtime.freeMemory(), kib("/proc/self/status", "VmRSS:"),
                    openFds(), ManagementFactory.getThreadMXBean().getThreadCount(),
                    kib("/proc/meminfo", "Slab:") + kib("/proc/meminfo", "KernelStack:"));
        }
    }

    private MemoryPerNode() {}

    static void measure(int nodes, PrintStream out) throws Exception {
        Snapshot before = Snapshot.take();
        Network network = Network.builder().nat(true).node(IsonetApproach.names(nodes)).build();
        try {
            Snapshot built = Snapshot.take();
            for (Node node : network.nodes()) {
                node.run(() -> null);
            }
            Snapshot used = Snapshot.take();
            out.printf("memory per node (network of %d nodes, NAT on; after GC):%n", nodes);
            row(out, "built", before, built, nodes);
            row(out, "after one run() per node", before, used, nodes);
        } finally {
            network.close();
            network.reaped().get(30, TimeUnit.SECONDS);
        }
    }

    private static void row(PrintStream out, String label, Snapshot before, Snapshot after, int nodes) {
        out.printf("  %-26s heap %6.1f KiB, RSS %6.1f KiB, fds %4.1f, threads %4.2f, kernel ~%6.1f KiB%n", label,
                (after.heapBytes() - before.heapBytes()) / 1024.0 / nodes,
                (after.rssKib() - before.rssKib()) / (double) nodes,
                (after.fds() - before.fds()) / (double) nodes,
                (after.threads() - before.threads()) / (double) nodes,
                (after.kernelKib() - before.kernelKib()) / (double) nodes);
    }

    private static long kib(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).replace("kB", "").strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            return 0;
        }
    }
}
