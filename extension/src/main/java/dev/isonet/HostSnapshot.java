package dev.isonet;

import dev.isonet.internal.cgroups.NodeCgroup;
import dev.isonet.internal.netlink.NfTables;
import dev.isonet.internal.netlink.Rtnetlink;
import dev.isonet.internal.ns.HostNamespaces;
import dev.isonet.internal.ns.ThreadsInNamespaces;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * What the host holds that a test library could leave behind: links, routes, nf_tables tables, network
 * namespaces (held by any process, or named in /run/netns), mounts, cgroups named {@code isonet-*} (in any
 * hierarchy, with every cgroup below them), {@code isonet-*} entries of {@code java.io.tmpdir}, and threads of
 * this JVM outside its own network namespace. Take one before a suite and one after; {@link #leftSince} lists
 * the difference.
 *
 * <p>"The host" is the network namespace this JVM runs in, which need not be the machine's first one (a suite
 * run under {@code unshare --net}, in a service with a private network, or in a CI container). Links, routes
 * and tables are read through netlink in that namespace; namespaces are those held by processes outside it
 * and outside PID 1's (kernel threads excepted), compared by namespace, whatever holds it.
 *
 * <p>It reads through netlink and /proc and starts no process. Each entry is one line, such as
 * {@code link iso0a140000}, {@code nft table inet isonet-812} or
 * {@code netns net:[4026532281] held by sleep (pid 4242)}.
 *
 * <pre>{@code
 * HostSnapshot before = HostSnapshot.take();
 * runTheSuite();
 * assertThat(HostSnapshot.take().leftSince(before)).isEmpty();
 * }</pre>
 */
@API(status = API.Status.MAINTAINED, since = "0.1")
public final class HostSnapshot {
    /** Lines about namespaces go on to say what holds them, which is not part of what is compared. */
    private static final String HELD_BY = " held by ";
    private final TreeSet<String> entries;

    private HostSnapshot(TreeSet<String> entries) {
        this.entries = entries;
    }

    /**
     * Reads what the host holds now.
     *
     * @return a snapshot of the links, routes, nf_tables tables, namespaces, mounts, cgroups, temporary entries
     *     and threads listed above
     * @throws IllegalStateException if {@code /proc} cannot be listed or {@code /proc/self/mountinfo} cannot be
     *     read
     * @throws RuntimeException if netlink refuses to list links, routes or tables (the message names the
     *     operation and the errno)
     */
    public static HostSnapshot take() {
        TreeSet<String> entries = new TreeSet<>();
        HostNamespaces.onHostThread(() -> {
            try (Rtnetlink rt = Rtnetlink.open("host snapshot"); NfTables nft = NfTables.open("host snapshot")) {
                List<Rtnetlink.Link> links = rt.linkList();
                for (Rtnetlink.Link link : links) {
                    entries.add("link " + link.name());
                }
                for (Rtnetlink.Route route : rt.routeList()) {
                    entries.add("route table " + route.table() + " " + route.destination().getHostAddress() + "/"
                            + route.prefixLength() + " dev " + linkName(links, route.index()));
                }
                for (String table : nft.tableList()) {
                    entries.add("nft table " + table);
                }
            }
            return null;
        });
        String hostNet = readLink(Path.of("/proc/self/ns/net"));
        String initNet = readLink(Path.of("/proc/1/ns/net"));
        java.util.Map<String, TreeSet<String>> holders = new java.util.TreeMap<>();
        java.util.Map<String, List<String>> pids = new java.util.TreeMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String net = readLink(process.resolve("ns/net"));
                if (net == null || net.equals(hostNet) || net.equals(initNet) || kernelThread(process)) {
                    continue; // kernel threads come and go on their own; they are nobody's leak
                }
                holders.computeIfAbsent(net, n -> new TreeSet<>()).add(comm(process));
                pids.computeIfAbsent(net, n -> new ArrayList<>()).add(process.getFileName().toString());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        // Compared by the namespace alone: who holds a namespace that was there before changes, and is no leak.
        holders.forEach((net, comms) -> entries.add("netns " + net + HELD_BY + String.join(", ", comms)
                + " (pid " + String.join(", ", pids.get(net)) + ")"));
        try (DirectoryStream<Path> named = Files.newDirectoryStream(Path.of("/run/netns"))) {
            for (Path name : named) {
                entries.add("netns named " + name.getFileName());
            }
        } catch (IOException e) {
            // no /run/netns: no named namespaces
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                entries.add("mount " + fields[4] + " (" + fields[fields.length - 3] + ")");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/mountinfo", e);
        }
        for (String cgroup : NodeCgroup.tagged()) {
            entries.add("cgroup " + cgroup);
        }
        Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> isonet = Files.newDirectoryStream(temporary, "isonet-*")) {
            for (Path entry : isonet) {
                entries.add("tmpdir " + entry);
            }
        } catch (IOException e) {
            // no temporary directory: nothing left in it
        }
        for (String thread : ThreadsInNamespaces.outsideHost()) {
            entries.add("thread " + thread);
        }
        return new HostSnapshot(entries);
    }

    private static String linkName(List<Rtnetlink.Link> links, int index) {
        for (Rtnetlink.Link link : links) {
            if (link.index() == index) {
                return link.name();
            }
        }
        return index == 0 ? "-" : "#" + index;
    }

    private static String readLink(Path path) {
        try {
            return Files.readSymbolicLink(path).toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** PF_KTHREAD in the flags field of /proc/PID/stat. */
    private static boolean kernelThread(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[6]) & 0x00200000L) != 0;
        } catch (IOException | RuntimeException e) {
            return false; // gone meanwhile, or unreadable: not a kernel thread we can tell
        }
    }

    private static String comm(Path process) {
        try {
            return Files.readString(process.resolve("comm")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * The entries as lines, for saving (for example before a suite, in another JVM) and for {@link #of(List)}.
     *
     * @return the entries, sorted; a new list at each call
     */
    public List<String> lines() {
        return new ArrayList<>(entries);
    }

    /**
     * A snapshot from lines that {@link #lines()} gave, for example read back from a file.
     *
     * <pre>{@code
     * HostSnapshot before = HostSnapshot.of(Files.readAllLines(saved));
     * }</pre>
     *
     * @param lines the entries, in any order; duplicates count once
     * @return a snapshot holding exactly those entries
     * @throws NullPointerException if {@code lines} or one of them is null
     */
    public static HostSnapshot of(List<String> lines) {
        return new HostSnapshot(new TreeSet<>(lines));
    }

    /**
     * What this snapshot has that {@code before} did not: what was left behind. What {@code before} had and this
     * one has not is not listed. A namespace counts by its identity: one that was there before, now held by
     * other processes, is not new.
     *
     * @param before a snapshot taken earlier
     * @return the new entries, sorted; empty if nothing was left behind
     * @throws NullPointerException if {@code before} is null
     */
    public List<String> leftSince(HostSnapshot before) {
        TreeSet<String> known = new TreeSet<>();
        before.entries.forEach(entry -> known.add(key(entry)));
        List<String> left = new ArrayList<>();
        for (String entry : entries) {
            if (!known.contains(key(entry))) {
                left.add(entry);
            }
        }
        return left;
    }

    private static String key(String entry) {
        int heldBy = entry.startsWith("netns ") ? entry.indexOf(HELD_BY) : -1;
        return heldBy < 0 ? entry : entry.substring(0, heldBy);
    }
}
