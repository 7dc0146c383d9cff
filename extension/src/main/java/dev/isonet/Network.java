package dev.isonet;

import dev.isonet.internal.Settings;
import dev.isonet.internal.diagnostics.Capture;
import dev.isonet.internal.diagnostics.Diagnostics;
import dev.isonet.internal.diagnostics.Events;
import dev.isonet.internal.diagnostics.NetworkAccess;
import dev.isonet.internal.names.NameCache;
import dev.isonet.internal.names.NetworkNames;
import dev.isonet.internal.names.OpenNetworks;
import dev.isonet.internal.topology.BuildStats;
import dev.isonet.internal.topology.Router;
import dev.isonet.internal.topology.Spares;
import dev.isonet.internal.topology.Trace;
import dev.isonet.internal.topology.Subnet;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * An isolated network: a router namespace with a bridge and a gateway, and {@link Node}s joined to it.
 * The host reaches every node through {@link #hostAddress()}; with NAT on (the default) nodes reach beyond
 * the network, masqueraded as {@link #egressAddress()}.
 *
 * <p>Subnets come from a pool ({@value #POOL_PROPERTY}, default {@value #DEFAULT_POOL}, split into
 * /{@value #PREFIX_PROPERTY} subnets, default /24). A subnet never overlaps the host's addresses and routes,
 * nor a live network of any JVM on the host. Each node also gets an IPv6 ULA address in a /64 derived from
 * the IPv4 subnet.
 *
 * <p>{@link #close()} returns in microseconds: it closes the namespace fds and the kernel reaps them
 * asynchronously; {@link #reaped()} completes once nothing of the network is left where anything can reach it.
 * The router (bridge, uplink, the subnet's host link and route) is reset and kept for the next network with the
 * same subnet prefix and NAT setting for a short while (setting {@code isonet.reuse}), since destroying it holds
 * a kernel lock that every network being set up waits for.
 */
public final class Network implements AutoCloseable {
    /** System property: the pool subnets are taken from, as a.b.c.d/n. */
    public static final String POOL_PROPERTY = "isonet.subnet.pool";
    /** System property: the prefix length of each network's subnet. */
    public static final String PREFIX_PROPERTY = "isonet.subnet.prefix";
    public static final String DEFAULT_POOL = "10.213.0.0/16";
    private static final Pattern NODE_NAME = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?");

    private final Router router;
    private final boolean nat;
    private final NetworkNames names;
    private final NetworkFaults faults;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final BitSet usedHosts = new BitSet();
    /** Fixed addresses of nodes the builder is still making: no other node may take them meanwhile. */
    private final BitSet planned = new BitSet();
    private final Events events;
    private volatile Capture capture;
    private volatile String captureProblem;
    private boolean closed;
    private CompletableFuture<Void> reaped;

    static {
        NameCache.turnOff(); // before any lookup, if the JUnit session listener did not do it earlier
        NetworkAccess.register(network -> network.new Internals());
    }

    private Network(Router router, boolean nat) {
        this.router = router;
        this.nat = nat;
        Subnet subnet = router.subnet();
        this.names = new NetworkNames(subnet.toString(), subnet.ipv4(subnet.lastHost()), subnet.ipv6(subnet.lastHost()));
        this.faults = new NetworkFaults(this, router);
        this.events = new Events("network " + subnet);
        OpenNetworks.jvm().opened(names);
    }

    /** Starts the capture on the bridge, if the setting asks for one; a failure leaves the network without. */
    private void startCapture() {
        boolean on;
        try {
            on = Settings.CAPTURE.enabled();
        } catch (IllegalArgumentException e) {
            on = true; // reported where settings are checked
        }
        if (!on) {
            captureProblem = "isonet.capture=false";
            Capture.Prepared unused = router.takeCapture();
            if (unused != null) {
                unused.close();
            }
            return;
        }
        try {
            int snapLength = Settings.CAPTURE_SNAPLEN.intValue(64, 65535);
            Capture.Prepared prepared = router.takeCapture();
            if (prepared == null) { // a router made while the setting was off: make one now, which takes a while
                prepared = dev.isonet.internal.ns.HostNamespaces.inNetwork(router.netFd(), "router",
                        () -> Capture.prepare("the router namespace of network " + subnet(), Router.BRIDGE,
                                Router.FIRST_PORT, snapLength));
            }
            capture = Capture.start(prepared, Router.BRIDGE, Router.FIRST_PORT, snapLength,
                    Settings.CAPTURE_BUFFER.sizeValue(1L << 20, 1L << 32));
        } catch (RuntimeException e) {
            captureFailed(e);
        }
    }

    private void captureFailed(Throwable e) {
        captureProblem = "the capture could not start: " + e.getMessage();
        Diagnostics.warnOnce("isonet: networks are built without a packet capture: " + e.getMessage());
    }

    /** What diagnostics read of this network beyond its public API. */
    private final class Internals implements NetworkAccess.Internals {
        @Override
        public int routerNetFd() {
            return router.netFd();
        }

        @Override
        public Events events() {
            return events;
        }

        @Override
        public Capture capture() {
            return capture;
        }

        @Override
        public String captureProblem() {
            return captureProblem;
        }

        @Override
        public dev.isonet.internal.ns.Namespace namespace(Node node) {
            return node.namespace();
        }

        @Override
        public String port(Node node) {
            return node.port().name();
        }
    }

    Events events() {
        return events;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A network from the pool, with NAT, and no nodes yet. */
    public static Network create() {
        return builder().build();
    }

    /** How to build a {@link Network}: every argument is checked before anything is created. */
    public static final class Builder {
        private String subnet;
        private String pool = Settings.SUBNET_POOL.value();
        private int prefixLength = Settings.SUBNET_PREFIX.intValue(8, 29);
        private boolean nat = true;
        private final List<NodeSpec> specs = new ArrayList<>();

        private Builder() {}

        /** A fixed subnet (a.b.c.d/n) instead of one from the pool. */
        public Builder subnet(String cidr) {
            this.subnet = cidr;
            return this;
        }

        public Builder pool(String cidr) {
            this.pool = cidr;
            return this;
        }

        public Builder prefixLength(int length) {
            this.prefixLength = length;
            return this;
        }

        /** Masquerading egress beyond the network; on by default. Off, nodes reach only each other and the host. */
        public Builder nat(boolean on) {
            this.nat = on;
            return this;
        }

        /** Nodes with these names, with the next free addresses. */
        public Builder node(String... names) {
            for (String name : names) {
                specs.add(NodeSpec.named(name));
            }
            return this;
        }

        /** Nodes with options: a fixed address, an MTU, aliases, sysctls. */
        public Builder node(NodeSpec... nodes) {
            specs.addAll(List.of(nodes));
            return this;
        }

        public Network build() {
            long start = System.nanoTime();
            Subnet requested = subnet == null || subnet.isBlank() ? null : Subnet.parseNetwork("subnet", subnet);
            Subnet poolSubnet = Subnet.parseNetwork("pool", pool);
            if (prefixLength < 8 || prefixLength > 29) {
                throw new IllegalArgumentException("prefixLength " + prefixLength + " must be 8 to 29");
            }
            if (requested == null && prefixLength < poolSubnet.prefixLength()) {
                throw new IllegalArgumentException("prefixLength " + prefixLength + " is shorter than the pool "
                        + pool + "'s /" + poolSubnet.prefixLength() + ": each network's subnet must fit in the pool");
            }
            int prefix = requested != null ? requested.prefixLength() : prefixLength;
            int capacity = new Subnet(0, prefix).lastHost() - 3;
            if (specs.size() > capacity) {
                throw new IllegalArgumentException(specs.size() + " nodes do not fit in a /" + prefix
                        + " subnet, which holds at most " + capacity + "; give the network a shorter prefix");
            }
            checkTogether(specs, requested);
            Privileges.require();
            Router router;
            try {
                router = Router.create(requested, poolSubnet, prefixLength, nat);
            } catch (RuntimeException e) {
                throw IsonetException.of("creating a network", e);
            }
            Network network = new Network(router, nat);
            Trace.start();
            network.startCapture();
            Trace.step("router: start the capture", null);
            network.events.add("router up: subnet " + network.subnet() + ", " + network.ipv6Subnet() + ", host link "
                    + network.hostLink() + (nat ? ", NAT" : ", no NAT"), start);
            for (NodeSpec spec : specs) {
                if (spec.address() != null) {
                    network.planned.set(hostNumber(router.subnet(), spec));
                }
            }
            // Addresses first, as addNode would give them one by one, so that nodes the router made ahead for
            // them can be taken; all other namespaces are asked for at once: creator threads make them while
            // this one wires them up.
            List<Integer> hosts = new ArrayList<>();
            List<Router.ReadyNode> ready = new ArrayList<>();
            List<CompletableFuture<Spares.NodeParts>> parts = new ArrayList<>();
            int next = 0;
            boolean wiring = false;
            try {
                for (NodeSpec spec : specs) {
                    int host = network.reserve(spec);
                    hosts.add(host);
                    Router.ReadyNode made = spec.mtu() == 0 ? router.takeReady(host) : null;
                    ready.add(made);
                    parts.add(made != null ? CompletableFuture.completedFuture(made.parts()) : Spares.node(spec.name()));
                }
                wiring = true;
                for (; next < specs.size(); next++) {
                    network.addNode(specs.get(next), hosts.get(next), parts.get(next), ready.get(next));
                }
                List<Router.Port> up = ready.stream().filter(r -> r != null).map(Router.ReadyNode::port).toList();
                if (!up.isEmpty()) {
                    router.portsUp(up);
                    Trace.step("nodes made ahead: ports up", up.size());
                }
            } catch (RuntimeException e) {
                // addNode() has disposed of its own parts; later ones were never taken.
                for (int i = wiring ? next + 1 : 0; i < parts.size(); i++) {
                    parts.get(i).thenAccept(Spares.NodeParts::close);
                }
                network.close();
                throw e;
            }
            router.prepareNodes();
            Spares.refill();
            BuildStats.record(System.nanoTime() - start);
            network.events.add("network built with nodes " + network.nodes().stream().map(Node::name).toList()
                    + ", capture " + (network.capture != null ? "on" : "off (" + network.captureProblem + ")"), start);
            return network;
        }
    }

    /**
     * Fails, saying why, unless {@code cidr} is a subnet written as a.b.c.d/n (decimal, no leading zeros), without
     * host bits, /8 to /29, and outside the reserved ranges (0/8, loopback, link-local, multicast, 240/4).
     */
    public static void checkSubnet(String cidr) {
        Subnet.parseNetwork("subnet", cidr);
    }

    /** Fails, saying why, unless the fixed address of {@code spec} is a node address of {@code subnet}. */
    public static void checkAddress(String subnet, NodeSpec spec) {
        hostNumber(Subnet.parseNetwork("subnet", subnet), spec);
    }

    /** Fails, saying why, unless {@code name} can name a node (it becomes the node's hostname). */
    public static void checkName(String name) {
        if (name == null || !NODE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("node name '" + name + "' must be 1 to 63 letters, digits or '-',"
                    + " not starting or ending with '-' (it becomes the node's hostname)");
        }
    }

    /**
     * Names, aliases and addresses of {@code specs} must not clash with each other, and fixed addresses need a
     * fixed subnet (a pool's subnet is not known in advance) and must be node addresses of it.
     */
    private static void checkTogether(List<NodeSpec> specs, Subnet subnet) {
        java.util.Set<String> names = new java.util.HashSet<>();
        java.util.Set<java.net.InetAddress> addresses = new java.util.HashSet<>();
        for (NodeSpec spec : specs) {
            List<String> all = new ArrayList<>(List.of(spec.name()));
            all.addAll(spec.aliases());
            for (String name : all) {
                if (!names.add(name.toLowerCase(java.util.Locale.ROOT))) {
                    throw new IllegalArgumentException("node name '" + name + "' is given twice");
                }
            }
            if (spec.address() != null) {
                if (subnet == null) {
                    throw new IllegalArgumentException("node '" + spec.name() + "': address "
                            + spec.address().getHostAddress() + " needs a fixed subnet (subnet(...)); the pool's"
                            + " subnets are not known in advance");
                }
                hostNumber(subnet, spec);
                if (!addresses.add(spec.address())) {
                    throw new IllegalArgumentException("address " + spec.address().getHostAddress()
                            + " is given to two nodes");
                }
            }
        }
    }

    /** The host number of a spec's fixed address in {@code subnet}; fails naming it unless it is a node's. */
    private static int hostNumber(Subnet subnet, NodeSpec spec) {
        String address = spec.address().getHostAddress();
        if (!subnet.contains(spec.address())) {
            throw new IllegalArgumentException("node '" + spec.name() + "': address " + address + " is outside the"
                    + " network's subnet " + subnet);
        }
        int host = java.nio.ByteBuffer.wrap(spec.address().getAddress()).getInt() - subnet.base();
        if (host < 2 || host > subnet.lastHost() - 2) {
            throw new IllegalArgumentException("node '" + spec.name() + "': address " + address + " is not a node"
                    + " address of " + subnet + ": .1 is the gateway, the last two are the router's and the host's,"
                    + " and the first and last are the network and broadcast addresses");
        }
        return host;
    }

    /** Creates a node, joins it to the bridge and gives it the next free addresses. */
    public Node addNode(String name) {
        return addNode(NodeSpec.named(name));
    }

    /** Creates a node with options, joins it to the bridge and gives it its addresses. */
    public Node addNode(NodeSpec spec) {
        ensureOpen();
        if (spec.address() != null) {
            hostNumber(router.subnet(), spec);
        }
        int host = reserve(spec);
        Router.ReadyNode made = spec.mtu() == 0 ? router.takeReady(host) : null;
        Node node = addNode(spec, host, made != null ? CompletableFuture.completedFuture(made.parts())
                : Spares.node(spec.name()), made);
        if (made != null) {
            try {
                router.portsUp(List.of(made.port()));
            } catch (RuntimeException e) {
                node.close();
                throw IsonetException.of("creating node '" + spec.name() + "' in network " + subnet(), e);
            }
        }
        Spares.refill();
        router.prepareNodes();
        return node;
    }

    /**
     * Makes the node for {@code spec} at host number {@code host} (reserved), from {@code parts}; {@code made}
     * is the router's node made ahead that they are the parts of, or null. The parts become the node's, or are
     * closed.
     */
    private Node addNode(NodeSpec spec, int host, CompletableFuture<Spares.NodeParts> parts, Router.ReadyNode made) {
        String name = spec.name();
        Spares.NodeParts taken = null;
        long start = System.nanoTime();
        try {
            Trace.start();
            taken = join(parts);
            Trace.step("node: namespaces", name);
            Node node = Node.create(this, router, spec, host, taken, made == null ? null : made.port());
            synchronized (this) {
                nodes.put(name, node);
            }
            names.put(name, spec.aliases(), node.ipv4(), node.ipv6());
            faults.nodeAdded(node); // delays of other nodes' egress are served where packets arrive
            BuildStats.nodeBuilt();
            events.add("node added: " + name + " (" + node.ipv4().getHostAddress() + ", " + node.ipv6().getHostAddress()
                    + "), bridge port " + node.port().name(), start);
            return node;
        } catch (RuntimeException e) {
            if (taken == null) {
                parts.thenAccept(Spares.NodeParts::close);
            }
            synchronized (this) {
                nodes.remove(name);
                usedHosts.clear(host);
            }
            throw IsonetException.of("creating node '" + name + "' in network " + subnet(), e);
        }
    }

    /** Claims the name, aliases and address (the fixed one, or the lowest free one) for a node being made. */
    private synchronized int reserve(NodeSpec spec) {
        ensureOpen();
        String name = spec.name();
        if (nodes.containsKey(name)) {
            throw new IllegalArgumentException("network " + subnet() + " already has a node named '" + name + "'");
        }
        for (String wanted : spec.aliases()) {
            if (!names.lookup(wanted).isEmpty() || nodes.keySet().stream().anyMatch(wanted::equalsIgnoreCase)) {
                throw new IllegalArgumentException("node '" + name + "': name '" + wanted + "' is taken in network "
                        + subnet());
            }
        }
        int host;
        if (spec.address() != null) {
            host = hostNumber(router.subnet(), spec);
            if (usedHosts.get(host)) {
                throw new IllegalArgumentException("node '" + name + "': address "
                        + spec.address().getHostAddress() + " is taken in network " + subnet());
            }
            planned.clear(host);
        } else {
            host = 2;
            while (usedHosts.get(host) || planned.get(host)) {
                host++;
            }
            if (host >= router.subnet().lastHost() - 1) {
                throw new IsonetException("network " + subnet() + " has no address left for node '" + name
                        + "'; give the network a larger subnet (a shorter prefix)");
            }
        }
        usedHosts.set(host);
        nodes.put(name, null);
        return host;
    }

    private static Spares.NodeParts join(CompletableFuture<Spares.NodeParts> parts) {
        try {
            return parts.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    synchronized void removed(Node node) {
        if (nodes.get(node.name()) == node) {
            nodes.remove(node.name());
            usedHosts.clear(node.hostNumber());
            if (!closed) {
                names.remove(node.name()); // when the whole network closes, its names go with it
            }
        }
    }

    NetworkNames names() {
        return names;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("network " + subnet() + " is closed");
        }
    }

    /** The node with this name; fails naming the nodes there are, or saying that the network is closed. */
    public synchronized Node node(String name) {
        ensureOpen();
        Node node = nodes.get(name);
        if (node == null) {
            throw new IllegalArgumentException("network " + subnet() + " has no node '" + name + "'; it has "
                    + nodes.keySet());
        }
        return node;
    }

    public synchronized List<Node> nodes() {
        return nodes.values().stream().filter(n -> n != null).toList();
    }

    /**
     * The address of the node (or alias, or {@value NetworkNames#HOST_ALIAS}) named {@code name} in this network:
     * its IPv4 address, carrying the name. For any JDK and any thread; on JDK 18+ a plain
     * {@code InetAddress.getByName(name)} also works (see the README: which names resolve where).
     *
     * @throws java.net.UnknownHostException naming the names this network has, if it has no such name
     */
    public InetAddress address(String name) throws java.net.UnknownHostException {
        return addresses(name).get(0);
    }

    /** The addresses of {@code name} in this network: IPv4, then IPv6, each carrying the name. */
    public List<InetAddress> addresses(String name) throws java.net.UnknownHostException {
        List<InetAddress> found = names.lookup(name == null ? "" : name);
        if (found.isEmpty()) {
            throw new java.net.UnknownHostException("network " + subnet() + " has no node or alias '" + name
                    + "'; it has " + names.names());
        }
        List<InetAddress> named = new ArrayList<>();
        for (InetAddress address : found) {
            named.add(InetAddress.getByAddress(name, address.getAddress()));
        }
        return named;
    }

    /**
     * Waits until {@code from} can open a TCP connection to {@code to} on {@code port}, at most
     * {@link Node#DEFAULT_AWAIT_TIMEOUT}. See {@link #awaitReachable(Node, Node, int, java.time.Duration)}.
     */
    public void awaitReachable(Node from, Node to, int port) {
        awaitReachable(from, to, port, Node.DEFAULT_AWAIT_TIMEOUT);
    }

    /**
     * Waits until a thread in {@code from} can open a TCP connection to {@code to}'s IPv4 address on {@code port}
     * (connecting every 20 ms, each attempt at most 1 s, and closing at once). On timeout it fails with a
     * {@link org.awaitility.core.ConditionTimeoutException} that says what it tried, for how long, the last error,
     * and the last lines of {@code to}'s processes.
     */
    public void awaitReachable(Node from, Node to, int port, java.time.Duration timeout) {
        for (Node node : List.of(from, to)) {
            if (node.network() != this) {
                throw new IllegalArgumentException(node + " is not a node of network " + subnet());
            }
        }
        Readiness.awaitReachable(from, to, port, timeout);
    }

    /** The IPv4 subnet, as a.b.c.d/n. */
    public String subnet() {
        return router.subnet().toString();
    }

    /** The IPv6 subnet, as prefix::/64. */
    public String ipv6Subnet() {
        return router.subnet().ipv6Prefix().getHostAddress() + "/64";
    }

    public Inet4Address gateway() {
        return router.subnet().ipv4(1);
    }

    public Inet6Address gatewayIpv6() {
        return router.subnet().ipv6(1);
    }

    /** The host's own address toward this network: what nodes see when the test thread connects to them. */
    public Inet4Address hostAddress() {
        return router.subnet().ipv4(router.subnet().lastHost());
    }

    public Inet6Address hostAddressIpv6() {
        return router.subnet().ipv6(router.subnet().lastHost());
    }

    /**
     * The source address that the router's NAT gives node traffic leaving the network, as the host sees it;
     * beyond the host, such traffic carries the host's own address.
     */
    public Inet4Address egressAddress() {
        return router.subnet().ipv4(router.subnet().lastHost() - 1);
    }

    public boolean nat() {
        return nat;
    }

    /** The name of the network's one link on the host (its uplink veth), unique among live networks. */
    public String hostLink() {
        return router.hostLink();
    }

    /**
     * The host and everything beyond this network's uplink, as its nodes see it: an {@link Endpoint} of
     * partitions and blocks, and a {@link Link} for loss, rate, delay and disconnect.
     */
    public Outside outside() {
        return faults.outside();
    }

    /**
     * Cuts the network into groups: an endpoint in one group exchanges no packets, either way, with any
     * endpoint of another group (TCP, UDP, ICMP, IPv4 and IPv6; established connections too), while ARP and
     * IPv6 neighbour discovery still pass. Nodes not named keep talking to everyone, including nodes added
     * later. {@link #outside()} may be in a group (the nodes of the other groups lose the host and beyond),
     * and so may an {@link ExternalHost} (cut by its address). Pairs of which neither is a node do not pass
     * through the network and are not affected. Reads {@code partition [a, b] | [c]}.
     *
     * @throws IllegalArgumentException for fewer than two groups, an empty group, an endpoint in two groups, or
     *     a node or outside of another network; nothing changes
     * @throws IllegalStateException if the network or a node is closed
     */
    @SafeVarargs
    public final Fault partition(Collection<? extends Endpoint>... groups) {
        return faults.partition(groups);
    }

    /**
     * Cuts {@code node} from every other node (also those added later), the host and the outside, both ways.
     * Reads {@code isolate a}.
     */
    public Fault isolate(Node node) {
        return faults.isolate(node);
    }

    /**
     * One way: packets from {@code from} to {@code to} are dropped, while packets from {@code to} to
     * {@code from} still arrive (ARP and neighbour discovery pass both ways, so they really do). A TCP connect
     * either way then times out: its handshake needs both directions. Reads {@code block a -> b}.
     *
     * @throws IllegalArgumentException if from and to are the same, if neither is a node of this network, or
     *     for a node or outside of another network; nothing changes
     */
    public Fault block(Endpoint from, Endpoint to) {
        return faults.block(from, to);
    }

    /**
     * Undoes every fault of this network: the rules in one transaction, then each disconnected link. Nothing
     * to do on a closed network.
     */
    public void heal() {
        faults.healAll();
    }

    /** The active faults, oldest first: for diagnostics. Empty once the network is closed. */
    public List<Fault> faults() {
        return faults.active();
    }

    NetworkFaults networkFaults() {
        return faults;
    }

    /** For tests: the router, to look at what it holds. */
    Router router() {
        return router;
    }

    /**
     * Writes what this network looks like now, and what happened to it, into {@code directory} (created if
     * needed): {@code capture.pcap} (the last frames on its bridge, for Wireshark or tshark), {@code topology.txt}
     * (each node's and the router's links, addresses, routes and neighbours, and the host's link),
     * {@code nftables.txt} (the router's rules and the active faults), {@code events.txt} (what Isonet did, with
     * times) and one {@code process-<node>-<n>-<program>.log} per process started in a node. The JUnit adapter
     * does this when a test fails. Returns the files written.
     *
     * @throws IllegalStateException if the network is closed
     * @throws java.io.UncheckedIOException if a file cannot be written
     */
    public List<java.nio.file.Path> writeDiagnostics(java.nio.file.Path directory) {
        ensureOpen();
        return Diagnostics.write(this, directory);
    }

    /** Closes every node, then the router. Idempotent; returns without waiting for the kernel's reaping. */
    @Override
    public void close() {
        List<Node> toClose;
        long start = System.nanoTime();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(nodes());
        }
        Capture running = capture;
        if (running != null) {
            running.close(); // the frames stay readable; the socket, which holds the router namespace, goes
        }
        faults.close(); // the namespaces take every fault with them
        RuntimeException failure = null;
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close(false);
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        names.close();
        OpenNetworks.jvm().closed(names);
        CompletableFuture<Void> done = router.close();
        Spares.refill();
        synchronized (this) {
            reaped = done;
        }
        events.add("network closed", start);
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Completes once nothing of the network is left where anything can reach it: its router is reset (every
     * node's bridge port down, its fault rules, neighbour entries and connection tracking emptied) and kept for
     * the next network, or, if it is not kept, the kernel has removed its link, routes and addresses from the
     * host. The node namespaces, off the network and held by nothing, are reaped by the kernel meanwhile.
     */
    public synchronized CompletableFuture<Void> reaped() {
        if (reaped == null) {
            throw new IllegalStateException("network " + subnet() + " is not closed");
        }
        return reaped;
    }

    @Override
    public String toString() {
        return "Network " + subnet() + " (" + hostLink() + ", nodes " + nodes.keySet() + ")";
    }
}
