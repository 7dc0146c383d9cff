package dev.isonet.internal.topology;

import dev.isonet.internal.ns.ThreadsInNamespaces;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What networks and external hosts leave on the host while they live: their host links, and threads of this
 * JVM outside its own network namespace. Read from /sys/class/net and /proc/self/task, without the native
 * binding, so it costs a directory listing: for the launcher session's summary.
 */
public final class HostTraces {
    private static final Pattern HOST_LINK = Pattern.compile("(" + RouterRules.NETWORK_LINK_PREFIX + "|"
            + Upstream.LINK_PREFIX + ")[0-9a-f]{8}");

    private HostTraces() {}

    /** Isonet's host links there are now, as "link NAME", then this JVM's threads in other namespaces. */
    public static List<String> now() {
        TreeSet<String> links = new TreeSet<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(Path.of("/sys/class/net"))) {
            for (Path link : all) {
                String name = link.getFileName().toString();
                if (HOST_LINK.matcher(name).matches()) {
                    links.add("link " + name);
                }
            }
        } catch (IOException e) {
            links.add("(cannot list /sys/class/net: " + e.getMessage() + ")");
        }
        List<String> traces = new ArrayList<>(links);
        for (String thread : ThreadsInNamespaces.outsideHost()) {
            traces.add("thread " + thread);
        }
        return traces;
    }
}
