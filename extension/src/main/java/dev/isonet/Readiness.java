package dev.isonet;

import dev.isonet.internal.netlink.SockDiag;
import dev.isonet.internal.ns.Namespace;
import dev.isonet.internal.process.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

/** The readiness waits of nodes and networks: each polls, and fails saying what it tried and saw. */
final class Readiness {
    private static final Duration LISTEN_POLL = Duration.ofMillis(10);
    private static final Duration CONNECT_POLL = Duration.ofMillis(20);
    private static final int CONNECT_TIMEOUT_MILLIS = 1000;
    private static final int TAIL_LINES = 10;

    private Readiness() {}

    /** The ports a namespace's sockets listen on (TCP) or are bound to (UDP) at one look. */
    record Ports(SortedSet<Integer> tcp, SortedSet<Integer> udp) {
        static Ports read(SockDiag diag) {
            SortedSet<Integer> tcp = new TreeSet<>();
            SortedSet<Integer> udp = new TreeSet<>();
            for (SockDiag.InetSocket socket : diag.inetList(SockDiag.IPPROTO_TCP, SockDiag.states(SockDiag.TCP_LISTEN))) {
                tcp.add(socket.sourcePort());
            }
            for (SockDiag.InetSocket socket : diag.inetList(SockDiag.IPPROTO_UDP, SockDiag.ALL_STATES)) {
                if (socket.sourcePort() != 0) {
                    udp.add(socket.sourcePort());
                }
            }
            return new Ports(tcp, udp);
        }

        boolean has(int port) {
            return tcp.contains(port) || udp.contains(port);
        }

        @Override
        public String toString() {
            return "TCP listening on " + (tcp.isEmpty() ? "no port" : tcp) + ", UDP bound to "
                    + (udp.isEmpty() ? "no port" : udp);
        }
    }

    static void awaitListening(Node node, Namespace namespace, int port, Duration timeout) {
        checkPort(port);
        AtomicReference<Ports> last = new AtomicReference<>();
        try (SockDiag diag = namespace.sockDiag()) {
            Await.until(timeout, LISTEN_POLL, () -> {
                Ports ports = Ports.read(diag);
                last.set(ports);
                return ports.has(port) ? Boolean.TRUE : null;
            }, () -> false, outcome -> "nothing in node '" + node.name() + "' listened on TCP port " + port
                    + " or was bound to UDP port " + port + " within " + Await.seconds(timeout) + " (looked "
                    + outcome.attempts() + " times through sock_diag, every " + LISTEN_POLL.toMillis() + " ms); at the"
                    + " last look: " + last.get() + processes(node));
        }
    }

    static void awaitReachable(Node from, Node to, int port, Duration timeout) {
        checkPort(port);
        AtomicReference<String> last = new AtomicReference<>("no attempt");
        long deadline = System.nanoTime() + timeout.toNanos();
        InetSocketAddress target = new InetSocketAddress(to.ipv4(), port);
        Await.until(timeout, CONNECT_POLL, () -> {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            return from.run(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(target, (int) Math.min(CONNECT_TIMEOUT_MILLIS, left));
                    return Boolean.TRUE;
                } catch (IOException e) {
                    last.set(e.getClass().getName() + ": " + e.getMessage());
                    return null;
                }
            });
        }, () -> false, outcome -> "node '" + from.name() + "' could not open a TCP connection to node '" + to.name()
                + "' (" + to.ipv4().getHostAddress() + ":" + port + ") within " + Await.seconds(timeout) + " ("
                + outcome.attempts() + " connects, each at most " + CONNECT_TIMEOUT_MILLIS + " ms); the last one: "
                + last.get() + processes(to));
    }

    /** What the node's processes are doing, for a failure message: state and last lines of each. */
    static String processes(Node node) {
        List<NodeProcess> all = node.processes();
        if (all.isEmpty()) {
            return "; no process was started in node '" + node.name() + "'";
        }
        StringBuilder out = new StringBuilder("; processes of node '" + node.name() + "':");
        for (NodeProcess process : all) {
            out.append("\n- ").append(process).append(", ").append(process.isAlive() ? "running"
                    : "exited with code " + process.exitCode()).append(":\n").append(process.tail(TAIL_LINES));
        }
        return out.toString();
    }

    private static void checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " must be 1 to 65535");
        }
    }
}
