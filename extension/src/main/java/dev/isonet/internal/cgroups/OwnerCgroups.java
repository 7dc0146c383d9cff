package dev.isonet.internal.cgroups;

import dev.isonet.internal.OwnerTag;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * This JVM's parent cgroup in each hierarchy it uses, {@code isonet-<pid>-<start time>} under the JVM's own
 * cgroup there (so that limits on the JVM's cgroup, a CI job's or a container's, still hold for what runs below).
 * Made when the first limited node needs it, removed when the last one has closed. A JVM that was killed leaves
 * its parents behind; the next one removes them, once it sees that their owner is gone.
 */
final class OwnerCgroups {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    /** Deep enough for a JVM's cgroup under slices, sessions and containers. */
    private static final int SEARCH_DEPTH = 8;
    private static final Object LOCK = new Object();
    private static final Map<Hierarchy, Path> PARENTS = new LinkedHashMap<>();
    private static int users;

    private OwnerCgroups() {}

    /**
     * Takes a use of this JVM's parent in each of {@code hierarchies}, making those that are missing (with
     * {@code v2Controllers} enabled for their children in v2). Each use is given back with {@link #release()}.
     */
    static Map<Hierarchy, Path> acquire(List<Hierarchy> hierarchies, Set<String> v2Controllers) throws IOException {
        synchronized (LOCK) {
            Map<Hierarchy, Path> taken = new LinkedHashMap<>();
            try {
                for (Hierarchy hierarchy : hierarchies) {
                    Path parent = PARENTS.get(hierarchy);
                    if (parent == null) {
                        parent = hierarchy.own().resolve(OwnerTag.mine());
                        Files.createDirectory(parent);
                        PARENTS.put(hierarchy, parent);
                    }
                    if (hierarchy.version() == 2 && !v2Controllers.isEmpty()) {
                        List<String> enable = v2Controllers.stream().map(c -> "+" + c).toList();
                        Files.writeString(parent.resolve("cgroup.subtree_control"), String.join(" ", enable));
                    }
                    taken.put(hierarchy, parent);
                }
            } catch (IOException | RuntimeException e) {
                if (users == 0) {
                    removeParents();
                }
                throw e;
            }
            users++;
            return taken;
        }
    }

    /** Gives back a use; the last one removes the parents (each empty by then). */
    static void release() {
        synchronized (LOCK) {
            users--;
            if (users == 0) {
                removeParents();
            }
        }
    }

    private static void removeParents() {
        PARENTS.entrySet().removeIf(entry -> {
            try {
                Files.deleteIfExists(entry.getValue());
                return true;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "isonet: could not remove cgroup " + entry.getValue() + ": "
                        + e.getMessage());
                return false; // tried again after the next limited node
            }
        });
    }

    /** This JVM's parents that exist now, for tests. */
    static List<Path> parents() {
        synchronized (LOCK) {
            return List.copyOf(PARENTS.values());
        }
    }

    /**
     * Removes what JVMs that are gone left in any cgroup hierarchy: each {@code isonet-<pid>-<start>} whose owner
     * is gone, after killing what still runs in its children. Returns the cgroups removed.
     */
    static List<Path> collectLeftovers(Hierarchies hierarchies) {
        List<Path> removed = new ArrayList<>();
        for (Path mount : hierarchies.mounts()) {
            for (Path leftover : leftovers(mount)) {
                try {
                    List<Path> children;
                    try (var list = Files.list(leftover)) {
                        children = list.filter(Files::isDirectory).toList();
                    }
                    for (Path child : children) {
                        CgroupKill.killAll(List.of(child));
                        CgroupKill.removeDir(child);
                        removed.add(child);
                    }
                    CgroupKill.removeDir(leftover);
                    removed.add(leftover);
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "isonet: could not remove cgroup " + leftover
                            + ", left by a JVM that is gone: " + e.getMessage());
                }
            }
        }
        if (!removed.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "isonet: removed " + removed.size() + " cgroups left by JVMs that"
                    + " are gone: " + removed);
        }
        return removed;
    }

    /** Tagged cgroups under {@code mount} whose owner is gone (not looking inside any tagged one). */
    private static List<Path> leftovers(Path mount) {
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(mount, EnumSet.noneOf(java.nio.file.FileVisitOption.class), SEARCH_DEPTH,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                            String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                            if (!OwnerTag.isTagged(name)) {
                                return FileVisitResult.CONTINUE;
                            }
                            if (OwnerTag.ownerGone(name)) {
                                found.add(dir);
                            }
                            return FileVisitResult.SKIP_SUBTREE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            return FileVisitResult.CONTINUE; // removed meanwhile, or not ours to read
                        }
                    });
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "isonet: cannot search " + mount + " for leftovers", e);
        }
        return found;
    }

    /** Every cgroup named isonet-* (and those below it) in any hierarchy: for the leak check. */
    static List<String> tagged() {
        List<String> found = new ArrayList<>();
        for (Path mount : Hierarchies.current().mounts()) {
            try {
                Files.walkFileTree(mount, EnumSet.noneOf(java.nio.file.FileVisitOption.class), SEARCH_DEPTH + 2,
                        new SimpleFileVisitor<>() {
                            private int inside;

                            @Override
                            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                                if (inside > 0 || name.startsWith(OwnerTag.PREFIX)) {
                                    inside++;
                                    found.add(mount.getFileName() + ":/" + mount.relativize(dir));
                                }
                                return FileVisitResult.CONTINUE;
                            }

                            @Override
                            public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                                if (inside > 0) {
                                    inside--;
                                }
                                return FileVisitResult.CONTINUE;
                            }

                            @Override
                            public FileVisitResult visitFileFailed(Path file, IOException e) {
                                return FileVisitResult.CONTINUE;
                            }
                        });
            } catch (IOException e) {
                // a hierarchy that cannot be read holds nothing we could list
            }
        }
        return found;
    }
}
