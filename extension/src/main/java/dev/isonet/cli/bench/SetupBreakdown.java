package dev.isonet.cli.bench;

import dev.isonet.Network;
import dev.isonet.internal.netlink.NfExpression;
import dev.isonet.internal.netlink.NfTables;
import dev.isonet.internal.netlink.Request;
import dev.isonet.internal.netlink.Rtnetlink;
import dev.isonet.internal.netlink.Rtnetlink.VethEnd;
import dev.isonet.internal.ns.HostNamespaces;
import dev.isonet.internal.ns.NamespaceFds;
import dev.isonet.internal.topology.Subnet;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where Isonet's setup time goes, measured from outside the core: the public API step by step
 * ({@code Network.create()} with no node, then each {@code addNode()}), and the kernel operations it is made
 * of, replayed one by one through the internal layer in throwaway namespaces that never touch the host.
 */
final class SetupBreakdown {
    /** Only ever configured inside probe namespaces, so it cannot clash with anything. */
    private static final Subnet PROBE = Subnet.parse("10.214.255.0/24");

    private record Probe(NamespaceFds fds, Rtnetlink rt, NfTables nft, long sysctlNanos, long rtOpenNanos,
            long nftOpenNanos) implements AutoCloseable {
        @Override
        public void close() {
            rt.close();
            if (nft != null) {
                nft.close();
            }
            fds.close();
        }
    }

    private final List<String> labels = new ArrayList<>();
    private final List<List<Double>> samples = new ArrayList<>();

    private final Rtnetlink host;
    private final BaselineTopology free;

    private SetupBreakdown(Rtnetlink host, BaselineTopology free) {
        this.host = host;
        this.free = free;
    }

    /**
     * {@code free} names a subnet and token free on this host: the probe uplink's host end and its addresses
     * and routes use them, and vanish with the probe namespace.
     */
    static void measure(int reps, int primitiveReps, int bigNodes, Rtnetlink host, BaselineTopology free,
            PrintStream out) throws Exception {
        SetupBreakdown b = new SetupBreakdown(host, free);
        List<Double> firstNodes = new ArrayList<>();
        List<Double> lastNodes = new ArrayList<>();
        for (int rep = 0; rep < reps; rep++) {
            long t = System.nanoTime();
            Network network = Network.create();
            b.add("Network.create(): router, NAT, host side", t);
            try {
                for (int i = 0; i < bigNodes; i++) {
                    long start = System.nanoTime();
                    network.addNode("n" + i);
                    double ms = (System.nanoTime() - start) / 1e6;
                    if (i < 10) {
                        firstNodes.add(ms);
                    } else if (i >= bigNodes - 10) {
                        lastNodes.add(ms);
                    }
                }
            } finally {
                t = System.nanoTime();
                network.close();
                b.add("close() of the whole network (as seen)", t);
                network.reaped().get(30, TimeUnit.SECONDS);
            }
        }
        for (int rep = 0; rep < primitiveReps; rep++) {
            b.primitives();
        }
        out.printf("where Isonet's setup time goes (ms, median [min..max]; API steps: %d networks of %d nodes;"
                + " kernel steps replayed %d times in probe namespaces):%n", reps, bigNodes, primitiveReps);
        for (int i = 0; i < b.labels.size(); i++) {
            out.printf("  %-52s %s%n", b.labels.get(i), Stats.of(b.samples.get(i)).format());
            if (i == 0) {
                out.printf("  %-52s %s%n", "addNode(), nodes 1-10, each", Stats.of(firstNodes).format());
                if (!lastNodes.isEmpty()) {
                    out.printf("  %-52s %s%n", "addNode(), nodes " + (bigNodes - 9) + "-" + bigNodes + ", each",
                            Stats.of(lastNodes).format());
                }
            }
        }
        double node = b.median("new net+uts namespace, hostname (incl. hand-off)") + b.median("open rtnetlink socket")
                + b.median("veth, peer created in the node, on the bridge")
                + b.median("node: lo, eth0 up, 2 addresses, 4 routes (1 datagram)");
        double router = 0;
        for (String step : List.of("host routes + addresses dump (subnet lease)",
                "new net namespace + fd (incl. hand-off)",
                "2 forwarding writes to /proc/sys in the router", "open rtnetlink socket", "open nf_tables socket",
                "lo up, bridge, 2 addresses (1 datagram)", "nf_tables table + chain + masquerade (1 batch)",
                "veth, peer created in the host namespace", "host: look the uplink up by name",
                "host: uplink up, addresses, routes (1 datagram)")) {
            router += b.median(step);
        }
        double create = b.median("Network.create(): router, NAT, host side");
        out.printf("  => the router's replayed kernel steps sum to %.2f ms of the %.2f ms Network.create() takes;"
                + " the rest (%.2f ms) is Java-side work and any step not replayed here%n", router, create,
                create - router);
        out.printf("  => one node's 4 kernel steps sum to %.2f ms of the %.2f ms addNode() takes%n", node,
                Stats.of(firstNodes).median());
    }

    private void add(String label, long startNanos) {
        record(label, (System.nanoTime() - startNanos) / 1e6);
    }

    private void record(String label, double ms) {
        int i = labels.indexOf(label);
        if (i < 0) {
            labels.add(label);
            samples.add(new ArrayList<>());
            i = labels.size() - 1;
        }
        samples.get(i).add(ms);
    }

    private double median(String label) {
        int i = labels.indexOf(label);
        return i < 0 ? 0 : Stats.of(samples.get(i)).median();
    }

    private void primitives() throws InterruptedException {
        long t = System.nanoTime();
        HostNamespaces.onHostThread(() -> null);
        add("hand-off to a namespace-creating thread", t);

        t = System.nanoTime();
        host.routeList();
        host.addrList();
        add("host routes + addresses dump (subnet lease)", t);

        t = System.nanoTime();
        HostNamespaces.create(null, fds -> fds).close();
        add("new net namespace + fd (incl. hand-off)", t);

        t = System.nanoTime();
        Probe router = HostNamespaces.create(null, fds -> {
            long s = System.nanoTime();
            Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");
            Files.writeString(Path.of("/proc/sys/net/ipv6/conf/all/forwarding"), "1");
            long r = System.nanoTime();
            Rtnetlink rt = Rtnetlink.open("bench probe router");
            long n = System.nanoTime();
            try {
                NfTables nft = NfTables.open("bench probe router");
                return new Probe(fds, rt, nft, r - s, n - r, System.nanoTime() - n);
            } catch (RuntimeException e) {
                rt.close();
                throw e;
            }
        });
        try {
            record("2 forwarding writes to /proc/sys in the router", router.sysctlNanos() / 1e6);
            record("open rtnetlink socket", router.rtOpenNanos() / 1e6);
            record("open nf_tables socket", router.nftOpenNanos() / 1e6);

            t = System.nanoTime();
            router.rt().apply(Rtnetlink.linkSetUp(1), Rtnetlink.linkAddBridge("br0", 2, PROBE.mac(1), true),
                    Rtnetlink.addrAdd(2, PROBE.ipv4(1), 24), Rtnetlink.addrAdd(2, PROBE.ipv6(1), 64));
            add("lo up, bridge, 2 addresses (1 datagram)", t);

            t = System.nanoTime();
            router.nft().batch()
                    .tableAdd(NfTables.FAMILY_INET, "isonet", 0)
                    .chainAdd(NfTables.FAMILY_INET, "isonet", "postrouting", "nat", NfTables.HOOK_POSTROUTING, 100)
                    .ruleAdd(NfTables.FAMILY_INET, "isonet", "postrouting", List.of(
                            NfExpression.meta(NfExpression.META_OIFNAME, NfExpression.REG_1),
                            NfExpression.cmpEq(NfExpression.REG_1, NfExpression.interfaceName("uplink")),
                            NfExpression.masquerade()))
                    .commit();
            add("nf_tables table + chain + masquerade (1 batch)", t);

            hostSide(router);

            t = System.nanoTime();
            Probe node = HostNamespaces.create("probe", fds -> new Probe(fds, Rtnetlink.open("bench probe node"),
                    null, 0, 0, 0));
            add("new net+uts namespace, hostname (incl. hand-off)", t);
            try {
                t = System.nanoTime();
                router.rt().apply(Rtnetlink.linkAddVeth(VethEnd.named("p0").index(16).master(2),
                        VethEnd.named("eth0").index(2).in(node.fds().net()).mac(PROBE.mac(2))));
                add("veth, peer created in the node, on the bridge", t);

                t = System.nanoTime();
                node.rt().apply(nodeRequests());
                add("node: lo, eth0 up, 2 addresses, 4 routes (1 datagram)", t);
            } finally {
                t = System.nanoTime();
                node.close();
                add("close a node's socket and namespace fds", t);
            }
        } finally {
            router.close();
            awaitProbeLinkGone();
        }
    }

    /** The router's uplink, as Router.configure makes it: the peer created in the host, then set up there. */
    private void hostSide(Probe router) throws InterruptedException {
        String name = BaselineTopology.probeLink(free.token());
        Subnet subnet = free.subnet();
        int last = subnet.lastHost();
        long t = System.nanoTime();
        router.rt().apply(Rtnetlink.linkAddVeth(VethEnd.named("uplink").index(3),
                VethEnd.named(name).in(HostNamespaces.netFd())));
        add("veth, peer created in the host namespace", t);

        t = System.nanoTime();
        Rtnetlink.Link link = host.link(name);
        add("host: look the uplink up by name", t);

        List<Request> requests = new ArrayList<>(List.of(
                Rtnetlink.linkSetUp(link.index()),
                Rtnetlink.addrAdd(link.index(), subnet.ipv4(last), 32),
                Rtnetlink.routeAdd(subnet.network(), subnet.prefixLength(), subnet.ipv4(last - 1), link.index(),
                        true)));
        if (free.hostIpv6()) {
            requests.add(Rtnetlink.addrAdd(link.index(), subnet.ipv6(last), 128));
            requests.add(Rtnetlink.routeAdd(subnet.ipv6Prefix(), 64, subnet.ipv6(last - 1), link.index(), true));
        }
        t = System.nanoTime();
        host.apply(requests);
        add("host: uplink up, addresses, routes (1 datagram)", t);
    }

    /** Bounded: the probe uplink's name is reused by the next round. */
    private void awaitProbeLinkGone() throws InterruptedException {
        String name = BaselineTopology.probeLink(free.token());
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (host.link(name) != null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " still on the host 30 s after its probe namespace closed");
            }
            Thread.sleep(1);
        }
    }

    /** The same eight requests that Node.create sends. */
    private static List<Request> nodeRequests() {
        int link = 2;
        int last = PROBE.lastHost();
        return List.of(
                Rtnetlink.linkSetUp(1),
                Rtnetlink.linkSetUp(link),
                Rtnetlink.addrAdd(link, PROBE.ipv4(2), 24),
                Rtnetlink.addrAdd(link, PROBE.ipv6(2), 64),
                Rtnetlink.routeAdd(PROBE.ipv4(0), 0, PROBE.ipv4(1), link, false),
                Rtnetlink.routeAdd(PROBE.ipv6(0), 0, PROBE.ipv6(1), link, false),
                Rtnetlink.routeAdd(PROBE.ipv4(last), 32, PROBE.ipv4(1), link, false),
                Rtnetlink.routeAdd(PROBE.ipv6(last), 128, PROBE.ipv6(1), link, false));
    }
}
