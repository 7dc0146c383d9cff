package dev.isonet.internal.ns;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Which of this JVM's threads are in which network namespace, read from /proc/self/task. */
public final class ThreadsInNamespaces {
    private ThreadsInNamespaces() {}

    static String link(Path path) {
        try {
            return Files.readSymbolicLink(path).toString();
        } catch (IOException e) {
            return null; // the thread or fd is gone
        }
    }

    /** What the open {@code fd} refers to, as "net:[inode]": the namespace's identity once the fd is closed. */
    static String identity(int fd) {
        return link(Path.of("/proc/self/fd/" + fd));
    }

    /** Threads in the namespace with this identity, as "name (tid N)". */
    static List<String> threadsIn(String identity) {
        return identity == null ? List.of() : matching(identity, true);
    }

    private static final String HOST_NET = link(Path.of("/proc/self/ns/net"));
    private static final String HOST_UTS = link(Path.of("/proc/self/ns/uts"));

    /** Whether the calling thread is in the JVM's own network and UTS namespaces. */
    static boolean inHostNamespaces() {
        return HOST_NET != null && HOST_NET.equals(link(Path.of("/proc/thread-self/ns/net")))
                && HOST_UTS != null && HOST_UTS.equals(link(Path.of("/proc/thread-self/ns/uts")));
    }

    /** Threads that are not in the JVM's own network namespace, as "name (tid N): net:[inode]". */
    public static List<String> outsideHost() {
        return matching(link(Path.of("/proc/self/ns/net")), false);
    }

    private static List<String> matching(String namespace, boolean inside) {
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String net = link(task.resolve("ns/net"));
                if (net == null || net.equals(namespace) != inside) {
                    continue;
                }
                String name;
                try {
                    name = Files.readString(task.resolve("comm")).strip();
                } catch (IOException e) {
                    continue;
                }
                found.add(name + " (tid " + task.getFileName() + ")" + (inside ? "" : ": " + net));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/task", e);
        }
        return found;
    }
}
