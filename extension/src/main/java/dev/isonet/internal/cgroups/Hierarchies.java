package dev.isonet.internal.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cgroup hierarchies this process can use, read from {@code /proc/self/mountinfo} (fstype {@code cgroup}
 * with its controllers in the super options, or {@code cgroup2}) and {@code /proc/self/cgroup} (this process's
 * cgroup in each). Nothing is assumed: a controller is usable in cgroup v2 when this process's v2 cgroup enables
 * it for its children ({@code cgroup.subtree_control}), else in the v1 hierarchy it is bound to, if any.
 *
 * <p>cgroup v2 lets only a cgroup without processes enable controllers for its children, and the JVM's own
 * cgroup has a process, the JVM. Where it enables none, the closest cgroup above it that does is used instead
 * (systemd enables them on slices: a JVM in {@code system.slice/runner.service} gets its cgroups under
 * {@code system.slice}); limits set between the two do not bound the nodes then.
 */
public final class Hierarchies {
    /** Every v1 controller the kernel has; anything else in the super options is a mount option. */
    private static final Set<String> V1_CONTROLLERS = Set.of("cpu", "cpuacct", "cpuset", "memory", "devices",
            "freezer", "net_cls", "net_prio", "blkio", "perf_event", "hugetlb", "pids", "rdma", "misc");
    private static volatile Hierarchies current;

    private final List<Hierarchy> all;
    /** Mount points of every cgroup hierarchy, also those this process's cgroup is not visible in. */
    private final List<Path> mounts;

    private Hierarchies(List<Hierarchy> all, List<Path> mounts) {
        this.all = all;
        this.mounts = mounts;
    }

    /** This process's hierarchies, read once (cgroup mounts do not come and go under a running JVM). */
    public static Hierarchies current() {
        Hierarchies known = current;
        if (known == null) {
            try {
                known = read(Files.readAllLines(Path.of("/proc/self/mountinfo")),
                        Files.readAllLines(Path.of("/proc/self/cgroup")));
            } catch (IOException e) {
                known = new Hierarchies(List.of(), List.of());
            }
            current = known;
        }
        return known;
    }

    /**
     * For tests: until the returned handle is closed, {@link #current()} answers as if these were this process's
     * mountinfo and /proc/self/cgroup lines (a host without some controller, for instance).
     */
    public static AutoCloseable pretend(List<String> mountinfo, List<String> procCgroup) {
        Hierarchies real = current();
        current = read(mountinfo, procCgroup);
        return () -> current = real;
    }

    /** Reads the hierarchies from the lines of a mountinfo and a /proc/PID/cgroup file. */
    static Hierarchies read(List<String> mountinfo, List<String> procCgroup) {
        List<Hierarchy> found = new ArrayList<>();
        List<Path> mounts = new ArrayList<>();
        Set<Set<String>> seenV1 = new java.util.HashSet<>();
        boolean seenV2 = false;
        for (String line : mountinfo) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] fields = line.substring(0, dash).split(" ");
            String[] tail = line.substring(dash + 3).split(" ");
            if (fields.length < 5 || tail.length < 3 || !(tail[0].equals("cgroup") || tail[0].equals("cgroup2"))) {
                continue;
            }
            String root = unescape(fields[3]);
            Path mount = Path.of(unescape(fields[4]));
            mounts.add(mount);
            if (tail[0].equals("cgroup2")) {
                String own = ownPath(procCgroup, null);
                Path dir = own == null ? null : ownDir(mount, root, own);
                if (!seenV2 && dir != null) {
                    seenV2 = true;
                    Path base = dir;
                    while (subtreeControl(base).isEmpty() && !base.equals(mount) && base.getParent() != null) {
                        base = base.getParent();
                    }
                    found.add(subtreeControl(base).isEmpty() ? new Hierarchy(2, Set.of(), mount, dir)
                            : new Hierarchy(2, subtreeControl(base), mount, base));
                }
                continue;
            }
            Set<String> options = new TreeSet<>(List.of(tail[2].split(",")));
            Set<String> controllers = new TreeSet<>(options);
            controllers.retainAll(V1_CONTROLLERS);
            if (controllers.isEmpty() || seenV1.contains(controllers)) {
                continue; // a named hierarchy (name=systemd) limits nothing; a second mount adds nothing
            }
            String own = ownPath(procCgroup, controllers);
            Path dir = own == null ? null : ownDir(mount, root, own);
            if (dir != null) {
                seenV1.add(controllers);
                found.add(new Hierarchy(1, controllers, mount, dir));
            }
        }
        return new Hierarchies(List.copyOf(found), List.copyOf(mounts));
    }

    /** This process's cgroup path in the v1 hierarchy with {@code controllers}, or in v2 for null. */
    private static String ownPath(List<String> procCgroup, Set<String> controllers) {
        for (String line : procCgroup) {
            String[] parts = line.split(":", 3);
            if (parts.length < 3) {
                continue;
            }
            if (controllers == null ? parts[0].equals("0") && parts[1].isEmpty()
                    : new TreeSet<>(List.of(parts[1].split(","))).equals(controllers)) {
                return parts[2];
            }
        }
        return null;
    }

    /** Where {@code own} (a path from the hierarchy's root) is under a mount of the subtree {@code root}. */
    private static Path ownDir(Path mount, String root, String own) {
        String base = root.endsWith("/") ? root : root + "/";
        if (!own.equals(root) && !own.startsWith(base)) {
            return null; // this mount shows another part of the tree
        }
        String inside = own.equals(root) ? "" : own.substring(base.length());
        return inside.isEmpty() ? mount : mount.resolve(inside);
    }

    private static Set<String> subtreeControl(Path own) {
        try {
            String text = Files.readString(own.resolve("cgroup.subtree_control")).strip();
            return text.isEmpty() ? Set.of() : new TreeSet<>(List.of(text.split(" ")));
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String field) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                text.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    /** The hierarchy that limits with {@code controller}: v2 where it has it, else its v1 hierarchy. */
    public Optional<Hierarchy> forController(String controller) {
        Optional<Hierarchy> v2 = v2().filter(h -> h.controllers().contains(controller));
        return v2.isPresent() ? v2 : v1(controller);
    }

    Optional<Hierarchy> v2() {
        return all.stream().filter(h -> h.version() == 2).findFirst();
    }

    Optional<Hierarchy> v1(String controller) {
        return all.stream().filter(h -> h.version() == 1 && h.controllers().contains(controller)).findFirst();
    }

    /** Every usable hierarchy. */
    List<Hierarchy> all() {
        return all;
    }

    /** Mount points of every cgroup hierarchy, in mountinfo's order. */
    public List<Path> mounts() {
        return mounts;
    }

    /** Why {@code controller} cannot be used, for messages; null when it can. */
    public String unavailable(String controller) {
        if (forController(controller).isPresent()) {
            return null;
        }
        if (mounts.isEmpty()) {
            return "no cgroup filesystem is mounted (see /proc/self/mountinfo)";
        }
        List<String> why = new ArrayList<>();
        Optional<Hierarchy> v2 = v2();
        if (v2.isPresent()) {
            Hierarchy h = v2.get();
            why.add("cgroup v2 at " + h.mount() + (h.controllers().isEmpty()
                    ? " enables no controller for this JVM's cgroup " + h.describe(h.own()) + " nor for any above it"
                    : " does not enable it for " + h.describe(h.own()) + " (its cgroup.subtree_control: '"
                    + String.join(" ", h.controllers()) + "')") + "; a controller can be enabled only in a cgroup"
                    + " without processes: run the JVM under a systemd service or slice, or in a container whose"
                    + " cgroup enables it");
        }
        Set<String> v1 = new LinkedHashSet<>();
        all.stream().filter(h -> h.version() == 1).forEach(h -> v1.addAll(h.controllers()));
        why.add(v1.isEmpty() ? "no cgroup v1 hierarchy is mounted" : "no cgroup v1 hierarchy has it (v1 has "
                + String.join(", ", v1) + ")");
        return "no cgroup hierarchy offers the " + controller + " controller: " + String.join("; ", why);
    }
}
