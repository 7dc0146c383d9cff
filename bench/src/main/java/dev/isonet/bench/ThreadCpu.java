package dev.isonet.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of this JVM's threads, from {@code /proc/self/task/<tid>/schedstat} (nanoseconds on the CPU) and
 * {@code comm} (the thread name, cut to 15 bytes). Between two snapshots, a thread born meanwhile counts from
 * zero; a thread that died meanwhile loses what it spent after the first snapshot (Isonet's pools keep their
 * threads 30 s, longer than any loop here). Also the whole host's busy time from {@code /proc/stat}, which
 * includes the kernel's workers that reap namespaces, and every other process on the machine.
 */
final class ThreadCpu {
    private static final long TICK_NANOS = 10_000_000; // USER_HZ = 100

    /** CPU nanoseconds by thread id, with names; and the host's busy and total jiffies. */
    record Snapshot(Map<Long, String> names, Map<Long, Long> nanos, long hostBusyTicks, long hostTotalTicks) {}

    /** Nanoseconds spent between two snapshots, by who spent them. */
    record Spent(long caller, long isonet, long otherJvm, long hostBusy, long hostTotal) {
        /** The host's CPUs busy, as a share of all of them (0..1). */
        double hostBusyShare() {
            return hostTotal == 0 ? Double.NaN : (double) hostBusy / hostTotal;
        }
    }

    private ThreadCpu() {}

    static long currentThreadId() {
        try {
            return Long.parseLong(Path.of("/proc/thread-self").toRealPath().getFileName().toString());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    static Snapshot take() {
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> nanos = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    long tid = Long.parseLong(task.getFileName().toString());
                    String schedstat = Files.readString(task.resolve("schedstat")).strip();
                    names.put(tid, Files.readString(task.resolve("comm")).strip());
                    nanos.put(tid, Long.parseLong(schedstat.split(" ")[0]));
                } catch (IOException | NumberFormatException e) {
                    // the thread ended while we looked
                }
            }
        } catch (IOException e) {
            // no /proc: all zero
        }
        long busy = 0;
        long total = 0;
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            for (int i = 1; i < cpu.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
                long value = Long.parseLong(cpu[i]);
                total += value;
                if (i != 4 && i != 5) {
                    busy += value;
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown: NaN share
        }
        return new Snapshot(names, nanos, busy, total);
    }

    /** What was spent from {@code before} to {@code after}; {@code caller} is the loop's own thread id. */
    static Spent between(Snapshot before, Snapshot after, long caller) {
        long own = 0;
        long isonet = 0;
        long other = 0;
        for (Map.Entry<Long, Long> entry : after.nanos().entrySet()) {
            long spent = entry.getValue() - before.nanos().getOrDefault(entry.getKey(), 0L);
            String name = after.names().get(entry.getKey());
            if (entry.getKey() == caller) {
                own += spent;
            } else if (name.startsWith("isonet-")) {
                isonet += spent;
            } else {
                other += spent;
            }
        }
        return new Spent(own, isonet, other, (after.hostBusyTicks() - before.hostBusyTicks()) * TICK_NANOS,
                (after.hostTotalTicks() - before.hostTotalTicks()) * TICK_NANOS);
    }
}
