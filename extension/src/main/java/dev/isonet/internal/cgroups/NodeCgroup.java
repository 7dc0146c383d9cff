package dev.isonet.internal.cgroups;

import dev.isonet.IsonetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node's cgroup: one directory under this JVM's parent in each hierarchy its limits need, plus cgroup v2 (where
 * it is mounted, even without controllers) to kill the whole tree at once, or else the v1 freezer. Processes are
 * placed into it before they run their program: {@link #placement()} is a tiny {@code sh} that writes its own PID
 * into each {@code cgroup.procs} and then execs the rest of the command ({@code nsenter}), so the program and all
 * it starts are inside from their first instruction. The starter (nsenter) is a member too: it counts toward the
 * pids limit and its memory (about 1 MiB) toward the memory limit.
 */
public final class NodeCgroup implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** The CPU bandwidth period: 100 ms, the kernel's default. */
    static final long CPU_PERIOD_MICROS = 100_000;
    /** The smallest quota the kernel takes, 1 ms per period. */
    static final long MIN_CPU_QUOTA_MICROS = 1_000;
    /** Writes its PID to each file before "--", then execs what follows. */
    private static final String JOIN = "for f in \"$@\"; do [ \"$f\" = -- ] && break; echo $$ > \"$f\" || exit 125;"
            + " shift; done; shift; exec \"$@\"";
    private static final String SH = find("sh");

    private final String description;
    private final Limits limits;
    private final Map<Hierarchy, Path> dirs;
    private final Path memory;
    private final Path pids;
    private long oomKills;
    private long forksRefused;
    private boolean closing;
    private boolean closed;

    private NodeCgroup(String description, Limits limits, Map<Hierarchy, Path> dirs, Path memory, Path pids) {
        this.description = description;
        this.limits = limits;
        this.dirs = dirs;
        this.memory = memory;
        this.pids = pids;
    }

    private static String find(String tool) {
        for (String dir : List.of("/bin", "/usr/bin")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return dir + "/" + tool;
            }
        }
        return null;
    }

    /**
     * Fails, naming the node ({@code description}, "node 'web'"), the option and why, unless every limit of
     * {@code limits} has a usable controller here.
     */
    public static void requireControllers(String description, Limits limits) {
        for (String controller : limits.controllers()) {
            String why = Hierarchies.current().unavailable(controller);
            if (why != null) {
                throw new IllegalArgumentException(description + ": " + limits.option(controller) + " cannot be"
                        + " applied on this host: " + why);
            }
        }
    }

    /**
     * Makes the cgroup of node {@code name} ({@code description} names it in messages, "node 'web'") with
     * {@code limits}; on failure removes what it made and throws, naming the node, the option and the cause.
     */
    public static NodeCgroup create(String name, String description, Limits limits) {
        if (SH == null) {
            throw new IsonetException(description + ": limits need /bin/sh to place processes in their cgroup");
        }
        Hierarchies hierarchies = Hierarchies.current();
        Map<String, Hierarchy> byController = new LinkedHashMap<>();
        for (String controller : limits.controllers()) {
            Hierarchy hierarchy = hierarchies.forController(controller).orElseThrow(() -> new IsonetException(
                    description + ": " + limits.option(controller) + " cannot be applied on this host: "
                            + hierarchies.unavailable(controller)));
            byController.put(controller, hierarchy);
        }
        Set<Hierarchy> needed = new LinkedHashSet<>(byController.values());
        Set<String> v2Controllers = new LinkedHashSet<>();
        byController.forEach((controller, hierarchy) -> {
            if (hierarchy.version() == 2) {
                v2Controllers.add(controller);
            }
        });
        // To kill a tree at once: cgroup v2 (cgroup.kill), even where it has no controller; else the v1 freezer.
        List<Hierarchy> optional = new ArrayList<>();
        hierarchies.v2().filter(h -> !needed.contains(h)).ifPresent(optional::add);
        if (hierarchies.v2().isEmpty()) {
            hierarchies.v1("freezer").filter(h -> !needed.contains(h)).ifPresent(optional::add);
        }
        String leaf = SEQUENCE.incrementAndGet() + "-" + name;
        Map<Hierarchy, Path> dirs = new LinkedHashMap<>();
        Map<Hierarchy, Path> parents;
        try {
            parents = OwnerCgroups.acquire(List.copyOf(needed), v2Controllers);
        } catch (IOException | RuntimeException e) {
            throw new IsonetException(description + ": " + limits + ": cannot make this JVM's parent cgroup: "
                    + reason(e), e);
        }
        NodeCgroup made = null;
        try {
            for (Map.Entry<Hierarchy, Path> parent : parents.entrySet()) {
                Path dir = parent.getValue().resolve(leaf);
                Files.createDirectory(dir);
                dirs.put(parent.getKey(), dir);
            }
            for (Hierarchy hierarchy : optional) {
                tryOptional(hierarchy, leaf, dirs);
            }
            Path memoryDir = byController.containsKey("memory") ? dirs.get(byController.get("memory")) : null;
            Path pidsDir = byController.containsKey("pids") ? dirs.get(byController.get("pids")) : null;
            made = new NodeCgroup(description, limits, dirs, memoryDir, pidsDir);
            for (Map.Entry<String, Hierarchy> entry : byController.entrySet()) {
                made.apply(entry.getKey(), entry.getValue(), dirs.get(entry.getValue()));
            }
            return made;
        } catch (IOException | RuntimeException e) {
            if (made != null) {
                made.close();
            } else {
                removeAll(dirs);
                OwnerCgroups.release();
            }
            if (e instanceof IsonetException isonet) {
                throw isonet;
            }
            throw new IsonetException(description + ": " + limits + ": cannot make its cgroup: " + reason(e), e);
        }
    }

    /** A tracking cgroup that is not needed for a limit: used where it can be made, skipped (logged) where not. */
    private static void tryOptional(Hierarchy hierarchy, String leaf, Map<Hierarchy, Path> dirs) {
        try {
            Path parent = OwnerCgroups.acquire(List.of(hierarchy), Set.of()).get(hierarchy);
            OwnerCgroups.release(); // the node's own use, taken above, keeps the parent
            Path dir = parent.resolve(leaf);
            Files.createDirectory(dir);
            dirs.put(hierarchy, dir);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "isonet: no " + hierarchy.label() + " cgroup to kill trees with: "
                    + reason(e));
        }
    }

    private void apply(String controller, Hierarchy hierarchy, Path dir) {
        String option = limits.option(controller);
        boolean v2 = hierarchy.version() == 2;
        switch (controller) {
            case "memory" -> {
                String bytes = String.valueOf(limits.memoryBytes());
                write(option, dir.resolve(v2 ? "memory.max" : "memory.limit_in_bytes"), bytes);
                // Without swap the limit holds: with it, the kernel would swap instead of killing.
                Path swap = dir.resolve(v2 ? "memory.swap.max" : "memory.memsw.limit_in_bytes");
                if (Files.exists(swap)) {
                    write(option, swap, v2 ? "0" : bytes);
                }
            }
            case "pids" -> write(option, dir.resolve("pids.max"), String.valueOf(limits.pids()));
            case "cpu" -> {
                long quota = Math.max(MIN_CPU_QUOTA_MICROS, Math.round(limits.cpus() * CPU_PERIOD_MICROS));
                if (v2) {
                    write(option, dir.resolve("cpu.max"), quota + " " + CPU_PERIOD_MICROS);
                } else {
                    write(option, dir.resolve("cpu.cfs_period_us"), String.valueOf(CPU_PERIOD_MICROS));
                    write(option, dir.resolve("cpu.cfs_quota_us"), String.valueOf(quota));
                }
            }
            default -> throw new IllegalArgumentException("no limit for controller " + controller);
        }
    }

    private void write(String option, Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new IsonetException(description + ": " + option + ": writing " + value + " to " + file
                    + " failed: " + reason(e), e);
        }
    }

    private static String reason(Exception e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof java.nio.file.AccessDeniedException || text.contains("Permission denied")
                || text.contains("Read-only file system")) {
            text += " (Isonet needs root, and a writable cgroup file system)";
        }
        return text;
    }

    /**
     * The command to put in front of a process's starter: {@code sh -c <join> sh <each cgroup.procs> --}; the
     * starter and its arguments follow.
     */
    public List<String> placement() {
        List<String> command = new ArrayList<>(List.of(SH, "-c", JOIN, "sh"));
        dirs.values().forEach(dir -> command.add(dir.resolve("cgroup.procs").toString()));
        command.add("--");
        return command;
    }

    /**
     * Removes the cgroups that JVMs which are gone left behind (killing what still runs in them): each
     * {@code isonet-<pid>-<start>} in any hierarchy whose owner is gone. Returns what it removed.
     */
    public static List<Path> collectLeftovers() {
        return OwnerCgroups.collectLeftovers(Hierarchies.current());
    }

    /**
     * Every cgroup named isonet-* (this JVM's and other JVMs' parents) and every cgroup below one, in any
     * hierarchy, as "memory:/process_api/x/isonet-1-2/3-web": what limited nodes leave while they live.
     */
    public static List<String> tagged() {
        return OwnerCgroups.tagged();
    }

    /** The cgroup's directories, one per hierarchy. */
    public List<Path> directories() {
        return List.copyOf(dirs.values());
    }

    /** The cgroup directories, by hierarchy, as /proc/PID/cgroup names them ("memory:/…/isonet-1-2/3-web"). */
    public List<String> paths() {
        return dirs.entrySet().stream().map(e -> e.getKey().describe(e.getValue())).toList();
    }

    /** How many processes the kernel's OOM killer killed in the node (0 without a memory limit). */
    public synchronized long oomKills() {
        if (!closed) {
            readCounters();
        }
        return oomKills;
    }

    /** How many forks the pids limit refused (0 without one). */
    public synchronized long forksRefused() {
        if (!closed) {
            readCounters();
        }
        return forksRefused;
    }

    private void readCounters() {
        if (memory != null) {
            Path events = memory.resolve("memory.events"); // v2; v1 has the counter in memory.oom_control
            oomKills = Math.max(oomKills, counter(Files.exists(events) ? events : memory.resolve("memory.oom_control"),
                    "oom_kill"));
        }
        if (pids != null) {
            forksRefused = Math.max(forksRefused, counter(pids.resolve("pids.events"), "max"));
        }
    }

    /** The value of the line "{@code key} N" in a flat-keyed cgroup file; 0 if it has none. */
    private static long counter(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.strip().split(" ");
                if (parts.length == 2 && parts[0].equals(key)) {
                    return Long.parseLong(parts[1]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone: the last value read stands
        }
        return 0;
    }

    /**
     * Kills whatever is still inside (with the node's process namespace gone, only starters that are exiting),
     * keeps the counters for later, and removes the directories. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        try {
            CgroupKill.killAll(List.copyOf(dirs.values()));
            synchronized (this) {
                readCounters(); // last: an OOM kill may have come while the node closed
                closed = true;
            }
            removeAll(dirs);
        } finally {
            OwnerCgroups.release();
        }
    }

    private static void removeAll(Map<Hierarchy, Path> dirs) {
        for (Path dir : dirs.values()) {
            try {
                CgroupKill.removeDir(dir);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "isonet: could not remove cgroup " + dir + ": " + e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return "cgroup of " + description + " (" + limits + ") " + paths();
    }
}
