package dev.isonet.junit;

import dev.isonet.HostSnapshot;
import dev.isonet.internal.OwnerTag;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the host holds that it did not before, as {@link HostSnapshot} sees it, and that these tests could
 * have made; the rest changes by itself, with other programs on the host (the benchmark, another JVM
 * running Isonet). Counted are:
 * <ul>
 * <li>this JVM's threads in foreign namespaces: fixtures run in this JVM;
 * <li>cgroups and temporary directories named after this JVM ({@code isonet-<pid>-<start>}): containers';
 * <li>network namespaces held by this JVM or a process it started;
 * <li>links, routes and nf_tables tables of networks from {@link Kit#POOL}: Isonet's only objects on the host
 * are its uplinks (iso + subnet id, isx + id for upstreams), their routes and its tables (isonet- + id);
 * <li>namespaces named {@code isonet-*} in /run/netns, and mounts there: networks kept after a failure
 * ({@code isonet.keep.failed}).
 * </ul>
 * Other named namespaces and mounts are never Isonet's.
 */
final class Leftovers {
    private static final Pattern HELD_BY = Pattern.compile("^netns \\S+ held by .* \\(pid (\\d+)");
    private static final Pattern FROM_POOL = Pattern.compile("\\b(iso|isx|isonet-)" + Kit.POOL_ID_PREFIX
            + "[0-9a-f]{4}\\b");
    private static final long REAPING_MILLIS = 10_000;
    private static final long POLL_MILLIS = 50;

    private Leftovers() {}

    /**
     * The host once the routers that earlier networks left for a next one are destroyed and reaped (at most 10 s):
     * what a fixture creates is then new on the host, also when it reuses a subnet of an earlier fixture.
     */
    static HostSnapshot withoutKeptRouters() {
        dev.isonet.internal.topology.IdleRouters.evictAll();
        long deadline = System.currentTimeMillis() + REAPING_MILLIS;
        while (true) {
            HostSnapshot now = HostSnapshot.take();
            boolean kept = now.lines().stream().anyMatch(e -> e.startsWith("link ") && FROM_POOL.matcher(e).find());
            if (!kept || System.currentTimeMillis() > deadline) {
                return now;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return now;
            }
        }
    }

    static List<String> between(HostSnapshot before, HostSnapshot after) {
        return after.leftSince(before).stream().filter(Leftovers::ours).toList();
    }

    /**
     * What is left since {@code before} once the kernel has reaped what was closed: closing returns at once,
     * and links, namespaces and node threads go a moment later. Polls for at most 10 s.
     */
    static List<String> afterReaping(HostSnapshot before) {
        long deadline = System.currentTimeMillis() + REAPING_MILLIS;
        while (true) {
            List<String> left = between(before, HostSnapshot.take());
            if (left.isEmpty() || System.currentTimeMillis() > deadline) {
                return left;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return left;
            }
        }
    }

    private static boolean ours(String entry) {
        if (entry.startsWith("netns named isonet-") || entry.startsWith("mount /run/netns/isonet-")) {
            return true;
        }
        if (entry.startsWith("thread ") || entry.contains(OwnerTag.mine())) {
            return true; // this JVM's threads, and its cgroups and temporary directories (named after it)
        }
        Matcher heldBy = HELD_BY.matcher(entry);
        if (!heldBy.find()) {
            return FROM_POOL.matcher(entry).find();
        }
        long self = ProcessHandle.current().pid();
        String pids = entry.substring(entry.lastIndexOf("(pid ") + 5, entry.length() - 1);
        for (String pid : pids.split(", ")) {
            Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(pid));
            while (process.isPresent()) {
                if (process.get().pid() == self) {
                    return true;
                }
                process = process.get().parent();
            }
        }
        return false;
    }
}
