package dev.isonet.internal.cgroups;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Empties and removes cgroups. A populated cgroup cannot be removed (EBUSY), so what is inside is killed first,
 * by the best means the hierarchy has: {@code cgroup.kill} (cgroup v2, Linux 5.14+) kills the whole tree at once;
 * a v1 freezer stops every member (no fork, no exit, no PID reuse) while each gets SIGKILL; else each PID listed
 * is killed until none is left.
 */
final class CgroupKill {
    private static final long WAIT_NANOS = 5_000_000_000L;

    private CgroupKill() {}

    /** Kills every process in {@code dirs} (one node's cgroups, in any hierarchies) and waits until they are empty. */
    static void killAll(List<Path> dirs) {
        if (dirs.stream().allMatch(CgroupKill::empty)) {
            return;
        }
        Path kill = dirs.stream().map(d -> d.resolve("cgroup.kill")).filter(Files::exists).findFirst().orElse(null);
        Path freezer = dirs.stream().map(d -> d.resolve("freezer.state")).filter(Files::exists).findFirst()
                .orElse(null);
        if (kill != null) {
            write(kill, "1");
        } else if (freezer != null) {
            killFrozen(freezer);
        }
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!dirs.stream().allMatch(CgroupKill::empty) && System.nanoTime() < deadline
                && !Thread.currentThread().isInterrupted()) {
            if (kill == null) {
                dirs.forEach(dir -> procs(dir).forEach(pid -> ProcessHandle.of(pid)
                        .ifPresent(ProcessHandle::destroyForcibly)));
            }
            sleepMillis(5);
        }
    }

    private static void killFrozen(Path state) {
        write(state, "FROZEN");
        long deadline = System.nanoTime() + WAIT_NANOS / 5;
        while (!read(state).strip().equals("FROZEN") && System.nanoTime() < deadline) {
            sleepMillis(1);
        }
        procs(state.getParent()).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        write(state, "THAWED");
    }

    /** Whether no live process is in {@code dir} (zombies left for their parent to reap do not count). */
    static boolean empty(Path dir) {
        Path events = dir.resolve("cgroup.events");
        if (Files.exists(events)) {
            return read(events).contains("populated 0");
        }
        return procs(dir).stream().allMatch(CgroupKill::gone);
    }

    /** The PIDs in {@code dir}'s cgroup.procs (as this JVM's PID namespace numbers them); none if it is gone. */
    static List<Long> procs(Path dir) {
        List<Long> pids = new ArrayList<>();
        for (String line : read(dir.resolve("cgroup.procs")).split("\n")) {
            if (!line.isBlank()) {
                pids.add(Long.parseLong(line.strip()));
            }
        }
        return pids;
    }

    private static boolean gone(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** rmdir, retried for a moment while the kernel still counts an exiting member (EBUSY); gone is fine. */
    static void removeDir(Path dir) throws IOException {
        long deadline = System.nanoTime() + WAIT_NANOS / 2;
        while (true) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (NoSuchFileException e) {
                return;
            } catch (FileSystemException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                sleepMillis(5);
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static void write(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            // gone meanwhile, or refused: the kill loop and the wait still run
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
