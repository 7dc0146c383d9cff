package dev.isonet.junit;

import dev.isonet.IsonetException;
import dev.isonet.Node;
import dev.isonet.internal.Settings;
import java.util.ArrayList;
import java.util.List;

/**
 * After a test closed its nodes: JVM threads still inside one of them. Isonet ends the threads it made (pool
 * threads are interrupted, their sockets aborted), but a thread that user code or a library started from inside
 * a node was born in the node's namespaces and stays there; a JVM-wide pool (Netty's GlobalEventExecutor,
 * gRPC's shared executors, the common pool) then keeps serving later tests from a dead node. That never passes
 * silently: by {@code isonet.threads.stranded}, the test fails (default) or a warning is logged.
 */
final class StrandedThreads {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    private static final long WAIT_MILLIS = 2_000;

    private StrandedThreads() {}

    /** Waits a moment for threads inside {@code closed} to end, then fails or warns about those that did not. */
    static void check(List<Node> closed) {
        String mode = Settings.STRANDED_THREADS.oneOf("fail", "warn", "ignore");
        if (mode.equals("ignore") || closed.isEmpty()) {
            return;
        }
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        List<String> inside = inside(closed);
        while (!inside.isEmpty() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            inside = inside(closed);
        }
        if (inside.isEmpty()) {
            return;
        }
        String message = "JVM threads are still inside closed nodes: " + String.join(", ", inside) + ". A thread"
                + " started from inside a node stays in the node's network namespace: libraries' JVM-wide pools"
                + " (Netty's GlobalEventExecutor, gRPC's default executors, the common pool) then serve later tests"
                + " from a dead node. Give such libraries node.threadFactory() or node.executor() (e.g. new"
                + " NioEventLoopGroup(0, node.threadFactory())) so their threads end with the node, shut them down"
                + " in the test, or run the server in a JVM node. To only log this, set "
                + Settings.STRANDED_THREADS.name() + "=warn.";
        if (mode.equals("fail")) {
            throw new IsonetException(message);
        }
        LOG.log(System.Logger.Level.WARNING, message);
    }

    private static List<String> inside(List<Node> nodes) {
        List<String> found = new ArrayList<>();
        for (Node node : nodes) {
            for (String thread : node.threadsInside()) {
                found.add(thread + " in node '" + node.name() + "'");
            }
        }
        return found;
    }
}
