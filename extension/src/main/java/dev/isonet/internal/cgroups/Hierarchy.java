package dev.isonet.internal.cgroups;

import java.nio.file.Path;
import java.util.Set;

/**
 * One mounted cgroup hierarchy as this process sees it: version 1 (with the controllers bound to it) or 2 (with
 * the controllers a child of this process's cgroup gets, which its {@code cgroup.subtree_control} enables), the
 * mount point, and the directory of this process's own cgroup in it.
 */
record Hierarchy(int version, Set<String> controllers, Path mount, Path own) {

    /** How messages name it: "cgroup v1 memory" or "cgroup v2". */
    String label() {
        return version == 2 ? "cgroup v2" : "cgroup v1 " + String.join(",", controllers);
    }

    /** Where a cgroup directory is, as "memory:/process_api/x/isonet-1-2" (the form of /proc/PID/cgroup). */
    String describe(Path dir) {
        String inside = "/" + mount.relativize(dir);
        return (version == 2 ? "" : String.join(",", controllers)) + ":" + (inside.equals("/") ? "/" : inside);
    }

    @Override
    public String toString() {
        return label() + " at " + mount;
    }
}
