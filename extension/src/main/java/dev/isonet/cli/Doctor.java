package dev.isonet.cli;

import dev.isonet.ExternalHost;
import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.Privileges;
import dev.isonet.internal.netlink.NfExpression;
import dev.isonet.internal.netlink.NfTables;
import dev.isonet.internal.netlink.Rtnetlink;
import dev.isonet.internal.ns.HostNamespaces;
import dev.isonet.internal.ns.NamespaceFds;
import dev.isonet.internal.topology.HostForwarding;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Checks the machine step by step, each step timed, then builds a 2-node network twice (cold, then warm),
 * sends TCP across it and tears it down. The last line says OK, or names what is missing.
 */
final class Doctor {
    private static final int PORT = 7777;
    private static final int ROUNDS = 100;
    private static final int WARM_ROUNDS = 5;
    private final PrintStream out;
    private final boolean verbose;

    private Doctor(PrintStream out, boolean verbose) {
        this.out = out;
        this.verbose = verbose;
    }

    /** Returns the exit status; {@code verbose} adds the stack trace of a failed step. */
    static int run(PrintStream out, boolean verbose) {
        return new Doctor(out, verbose).run();
    }

    private interface Step {
        String run() throws Exception;
    }

    /** Runs a step, prints its outcome and time, and returns its time in ms; a failure ends the doctor. */
    private double step(String name, Step step) {
        long start = System.nanoTime();
        String detail;
        try {
            detail = step.run();
        } catch (Exception | Error e) {
            double ms = (System.nanoTime() - start) / 1e6;
            out.printf("  [FAIL] %-42s %8.2f ms  %s%n", name, ms, e);
            if (verbose) {
                e.printStackTrace(out);
            }
            throw new Failure(name + ": " + e.getMessage(), e);
        }
        double ms = (System.nanoTime() - start) / 1e6;
        out.printf("  [ok]   %-42s %8.2f ms  %s%n", name, ms, detail == null ? "" : detail);
        return ms;
    }

    private static final class Failure extends RuntimeException {
        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private int run() {
        out.println("isonet doctor: checking this machine");
        try {
            checkMachine();
            double[] cold = twoNodeNetwork("cold", true);
            egress();
            double[][] warm = new double[WARM_ROUNDS][];
            for (int i = 0; i < WARM_ROUNDS; i++) {
                warm[i] = twoNodeNetwork("warm " + (i + 1) + "/" + WARM_ROUNDS, i == 0);
            }
            double setup = median(warm, 0);
            double teardown = median(warm, 1);
            out.printf("2-node network: cold setup %.2f ms, teardown %.2f ms; warm (median of %d) setup %.2f ms,"
                    + " teardown %.2f ms; the kernel finished reaping %.2f ms after close%n",
                    cold[0], cold[1], WARM_ROUNDS, setup, teardown, median(warm, 2));
            out.printf("isonet doctor: OK (2-node network: setup %.2f ms, teardown %.2f ms)%n", setup, teardown);
            return 0;
        } catch (Failure e) {
            out.println("isonet doctor: FAILED: " + e.getMessage());
            return 1;
        }
    }

    private void checkMachine() {
        step("privileges", () -> {
            String problem = Privileges.problem();
            if (problem != null) {
                throw new IllegalStateException(problem);
            }
            return "CAP_NET_ADMIN and CAP_SYS_ADMIN";
        });
        NamespaceFds[] probe = new NamespaceFds[1];
        step("network namespaces", () -> {
            probe[0] = HostNamespaces.create(null, fds -> fds);
            return "created one, held by an fd";
        });
        try {
            try (Rtnetlink rt = HostNamespaces.create(null, fds -> {
                fds.close(); // the socket keeps the namespace alive
                return Rtnetlink.open("doctor probe");
            })) {
                step("bridge", () -> {
                    rt.apply(Rtnetlink.linkAddBridge("br0", 10, null, true));
                    return "added one in a probe namespace";
                });
                step("veth (peer in another namespace)", () -> {
                    rt.apply(Rtnetlink.linkAddVeth(Rtnetlink.VethEnd.named("v0").index(11),
                            Rtnetlink.VethEnd.named("v1").index(2).in(probe[0].net())));
                    return "added a pair across two namespaces";
                });
            }
            step("nf_tables NAT (masquerade)", () -> {
                try (NfTables nft = HostNamespaces.create(null, fds -> {
                    fds.close();
                    return NfTables.open("doctor probe");
                })) {
                    nft.batch()
                            .tableAdd(NfTables.FAMILY_INET, "probe", 0)
                            .chainAdd(NfTables.FAMILY_INET, "probe", "post", "nat", NfTables.HOOK_POSTROUTING, 100)
                            .ruleAdd(NfTables.FAMILY_INET, "probe", "post", List.of(NfExpression.masquerade()))
                            .commit();
                }
                return "table, nat chain and masquerade rule in a probe namespace";
            });
        } finally {
            probe[0].close();
        }
    }

    /**
     * NAT egress end to end: a node connects to an external host (a namespace with a documentation-range
     * address, joined straight to the host), crossing the host's forward hook as traffic to the outside world
     * does. On a Docker host (iptables FORWARD policy DROP) it fails: the doctor names the chain and the fix.
     */
    private void egress() {
        step("NAT egress (node -> external host)", () -> {
            IllegalArgumentException overlap = null;
            for (String address : List.of("203.0.113.10/24", "198.51.100.10/24")) {
                ExternalHost upstream;
                try {
                    upstream = ExternalHost.create("doctor-upstream", address);
                } catch (RuntimeException e) {
                    if (e.getMessage() != null && e.getMessage().contains("overlaps")) {
                        overlap = new IllegalArgumentException(e.getMessage(), e);
                        continue; // the host uses that range: try the other
                    }
                    throw e;
                }
                try (upstream; Network network = Network.builder().node("a").build()) {
                    return connectOut(network.node("a"), upstream);
                }
            }
            throw overlap;
        });
        forwardingNote();
    }

    private static String connectOut(Node node, ExternalHost upstream) throws Exception {
        try (ServerSocket listener = upstream.run(() -> new ServerSocket(PORT + 2))) {
            Future<String> seen = upstream.executor().submit(() -> {
                try (Socket peer = listener.accept()) {
                    return peer.getInetAddress().getHostAddress();
                }
            });
            try {
                node.run(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(upstream.address(), PORT + 2), 2000);
                    }
                    return null;
                });
            } catch (java.io.IOException e) {
                List<String> chains = HostForwarding.droppingChains();
                throw new IllegalStateException("a node could not reach " + upstream.address().getHostAddress()
                        + " beyond the host (" + e.getMessage() + ")" + (chains.isEmpty()
                        ? "; the host's forward hook has no chain that drops by default, so look for a drop rule"
                                + " in its firewall"
                        : ": the host's firewall drops forwarded packets: " + String.join("; ", chains)
                                + ". Nodes still reach each other and the host. To let them out: "
                                + HostForwarding.FIX), e);
            }
            return "the external host saw the node as " + seen.get(5, TimeUnit.SECONDS) + " (masqueraded)";
        }
    }

    /** Beyond the machine, replies are forwarded only where the outgoing device forwards: say so if it does not. */
    private void forwardingNote() {
        try {
            String all = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/conf/all/forwarding"))
                    .strip();
            if (!all.equals("1")) {
                out.println("  [note] net.ipv4.conf.all.forwarding is " + all + ": nodes reach external hosts"
                        + " (which Isonet makes), but replies from beyond this machine come back only where the"
                        + " outgoing interface forwards (sysctl net.ipv4.ip_forward=1, as Docker hosts have)");
            }
        } catch (java.io.IOException e) {
            // no /proc/sys: nothing to say
        }
    }

    private void traffic(Node a, Node b) {
        step("TCP b -> a (" + ROUNDS + " round trips)", () -> echo(a, b));
        step("TCP host -> a", () -> {
            try (ServerSocket server = a.run(() -> new ServerSocket(PORT + 1))) {
                Future<String> seen = a.executor().submit(() -> {
                    try (Socket peer = server.accept()) {
                        return peer.getInetAddress().getHostAddress();
                    }
                });
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(a.ipv4(), PORT + 1), 2000);
                }
                return "a saw the host as " + seen.get(5, TimeUnit.SECONDS);
            }
        });
    }

    private static double median(double[][] rows, int column) {
        double[] values = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            values[i] = rows[i][column];
        }
        java.util.Arrays.sort(values);
        return values[values.length / 2];
    }

    /** Returns {setup ms, teardown ms, reaped ms}; with {@code traffic}, also checks TCP across the network. */
    private double[] twoNodeNetwork(String label, boolean traffic) {
        Network[] network = new Network[1];
        double setup = step("build 2-node network (" + label + ")", () -> {
            network[0] = Network.builder().node("a", "b").build();
            return network[0].subnet() + ", a=" + network[0].node("a").ipv4().getHostAddress()
                    + " b=" + network[0].node("b").ipv4().getHostAddress();
        });
        if (traffic) {
            try {
                traffic(network[0].node("a"), network[0].node("b"));
            } catch (Failure e) {
                network[0].close();
                throw e;
            }
        }
        double teardown = step("tear down (" + label + ")", () -> {
            network[0].close();
            return "fds closed; the kernel reaps in the background";
        });
        double reaped = step("nothing of the network left (" + label + ")", () -> {
            network[0].reaped().get(30, TimeUnit.SECONDS);
            return "its router reset and kept for the next network, or reaped with its uplink";
        });
        return new double[] {setup, teardown, reaped};
    }

    private static String echo(Node server, Node client) throws Exception {
        ServerSocket listener = server.run(() -> new ServerSocket(PORT));
        try (listener) {
            Future<?> serving = server.executor().submit((Callable<Void>) () -> {
                try (Socket peer = listener.accept()) {
                    DataInputStream in = new DataInputStream(peer.getInputStream());
                    DataOutputStream out = new DataOutputStream(peer.getOutputStream());
                    for (int i = 0; i < ROUNDS; i++) {
                        out.writeInt(in.readInt() + 1);
                        out.flush();
                    }
                }
                return null;
            });
            long nanos = client.run(() -> {
                try (Socket socket = new Socket()) {
                    socket.setTcpNoDelay(true);
                    socket.connect(new InetSocketAddress(server.ipv4(), PORT), 2000);
                    socket.setSoTimeout(5000);
                    DataInputStream in = new DataInputStream(socket.getInputStream());
                    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                    long start = System.nanoTime();
                    for (int i = 0; i < ROUNDS; i++) {
                        out.writeInt(i);
                        out.flush();
                        if (in.readInt() != i + 1) {
                            throw new IllegalStateException("echo answered wrongly at round " + i);
                        }
                    }
                    return System.nanoTime() - start;
                }
            });
            serving.get(5, TimeUnit.SECONDS);
            return String.format("mean RTT %.1f µs", nanos / 1e3 / ROUNDS);
        }
    }
}
