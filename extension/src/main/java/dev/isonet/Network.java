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
import org.apiguardian.api.API;

/**
 * An isolated network: a router namespace with a bridge and a gateway, and {@link Node}s joined to it.
 * The host reaches every node through {@link #hostAddress()}; with NAT on (the default) nodes reach beyond
 * the network, masqueraded as {@link #egressAddress()}. Nodes resolve each other's names (and aliases), and
 * the host as {@code host.isonet.internal}.
 *
 * <pre>{@code
 * try (Network network = Network.builder().node("client", "server").build()) {
 *     Node client = network.node("client");
 *     Node server = network.node("server");
 *     server.start("python3", "-u", "-m", "http.server", "8080");
 *     server.awaitListening(8080);
 *     ExecResult page = client.exec("curl", "-sf", "http://server:8080/");
 *
 *     Fault split = network.partition(List.of(client), List.of(server));
 *     ...
 *     split.heal();
 * }
 * }</pre>
 *
 * <p>Faults ({@link #partition}, {@link #isolate}, {@link #block}, and the {@link Link} conditions of each node
 * and of {@link #outside()}) stay until healed, or until the network closes.
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
@API(status = API.Status.MAINTAINED, since = "0.1")
public final class Network implements AutoCloseable {
    /** System property: the pool subnets are taken from, as a.b.c.d/n. */
    public static final String POOL_PROPERTY = "isonet.subnet.pool";
    /** System property: the prefix length of each network's subnet. */
    public static final String PREFIX_PROPERTY = "isonet.subnet.prefix";
    /** The pool subnets are taken from when {@value #POOL_PROPERTY} is not set. */
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

    /**
     * Starts describing a network: its subnet (fixed, or from a pool), NAT, and its first nodes. Nothing is
     * created before {@link Builder#build()}.
     *
     * <pre>{@code
     * Network network = Network.builder().subnet("10.30.0.0/24").nat(false).node("a", "b").build();
     * }</pre>
     *
     * @return a builder with the pool and prefix length of the settings {@value #POOL_PROPERTY} and
     *     {@value #PREFIX_PROPERTY}, NAT on, and no nodes
     * @throws IllegalArgumentException if the setting {@value #PREFIX_PROPERTY} is not a whole number from 8 to 29
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a network with a subnet from the pool, NAT on, and no nodes yet: the same as
     * {@code builder().build()}. Add nodes with {@link #addNode(String)}.
     *
     * @return the network, open
     * @throws IllegalArgumentException if the setting {@value #POOL_PROPERTY} or {@value #PREFIX_PROPERTY} is not
     *     valid; nothing was created
     * @throws IsonetException if this process lacks the privileges ({@link Privileges}), if the pool has no free
     *     subnet left, or if the kernel refuses a step; what was made is removed
     */
    public static Network create() {
        return builder().build();
    }

    /**
     * How to build a {@link Network}: its subnet, NAT, and the nodes it starts with. The setters record their
     * argument (only {@link #node(String...)} checks names at once); {@link #build()} checks everything before it
     * creates anything. A builder is not thread-safe.
     */
    @API(status = API.Status.MAINTAINED, since = "0.1")
    public static final class Builder {
        private String subnet;
        private String pool = Settings.SUBNET_POOL.value();
        private int prefixLength = Settings.SUBNET_PREFIX.intValue(8, 29);
        private boolean nat = true;
        private final List<NodeSpec> specs = new ArrayList<>();

        private Builder() {}

        /**
         * A fixed subnet instead of one from the pool: needed for nodes with a fixed address
         * ({@link NodeSpec#address}). {@link #build()} fails if it overlaps the host's addresses and routes or
         * another live network.
         *
         * @param cidr the subnet, as a.b.c.d/n (see {@link Network#checkSubnet}); null or blank for one from the
         *     pool
         * @return this builder
         */
        public Builder subnet(String cidr) {
            this.subnet = cidr;
            return this;
        }

        /**
         * The pool to take the subnet from, instead of the setting {@value Network#POOL_PROPERTY}: the network gets
         * the first subnet of it, of the {@link #prefixLength(int) prefix length}, that overlaps neither the
         * host's addresses and routes nor another live network. Ignored with a fixed {@link #subnet(String)}.
         *
         * @param cidr the pool, as a.b.c.d/n
         * @return this builder
         */
        public Builder pool(String cidr) {
            this.pool = cidr;
            return this;
        }

        /**
         * The prefix length of the subnet taken from the pool, instead of the setting
         * {@value Network#PREFIX_PROPERTY}: a /24 holds 251 nodes, a /29 three. Ignored with a fixed
         * {@link #subnet(String)}.
         *
         * @param length 8 to 29, and not shorter than the pool's prefix
         * @return this builder
         */
        public Builder prefixLength(int length) {
            this.prefixLength = length;
            return this;
        }

        /**
         * Masquerading egress beyond the network; on by default. Off, nodes reach only each other and the host.
         *
         * @param on whether nodes reach beyond the host, masqueraded
         * @return this builder
         */
        public Builder nat(boolean on) {
            this.nat = on;
            return this;
        }

        /**
         * Nodes with these names, which get the next free addresses in the order given. Names given twice fail
         * in {@link #build()}.
         *
         * @param names the node names, each also the node's hostname
         * @return this builder
         * @throws IllegalArgumentException if a name is not a node name ({@link Network#checkName}); the names
         *     before it are added
         */
        public Builder node(String... names) {
            for (String name : names) {
                specs.add(NodeSpec.named(name));
            }
            return this;
        }

        /**
         * Nodes with options: a fixed address, an MTU, aliases, sysctls, a root filesystem or limits. The specs
         * are kept, not copied, until {@link #build()}, which checks them against the subnet and each other.
         *
         * <pre>{@code
         * Network.builder().subnet("10.30.0.0/24")
         *         .node(NodeSpec.named("db").address("10.30.0.10").aliases("postgres"))
         *         .build();
         * }</pre>
         *
         * @param nodes the nodes to build
         * @return this builder
         */
        @API(status = API.Status.EXPERIMENTAL, since = "0.1")
        public Builder node(NodeSpec... nodes) {
            specs.addAll(List.of(nodes));
            return this;
        }

        /**
         * Creates the network and its nodes. Every argument, and the nodes' names, aliases and fixed addresses
         * together, are checked before anything is created; if a later step fails, what was made is removed.
         *
         * @return the network, open, with its nodes up, addressed and named
         * @throws IllegalArgumentException if the subnet, pool or prefix length is not valid, if the nodes do not
         *     fit in the subnet, if names, aliases or fixed addresses clash, if a fixed address is given without a
         *     fixed subnet or is not a node address of it, if the fixed subnet overlaps the host's addresses or
         *     routes, or if the kernel refuses a node's sysctl
         * @throws IsonetException if this process lacks the privileges ({@link Privileges}), if the pool has no
         *     free subnet left, if the fixed subnet is held by another live network, or if the kernel refuses a
         *     step (such as a node's container that cannot be built)
         */
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
     * host bits, /8 to /29, and outside the reserved ranges (0/8, loopback, link-local, multicast, 240/4). Only
     * the form is checked: not the host's routes, nor other networks.
     *
     * @param cidr the subnet to check
     * @throws IllegalArgumentException if it is not such a subnet
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public static void checkSubnet(String cidr) {
        Subnet.parseNetwork("subnet", cidr);
    }

    /**
     * Fails, saying why, unless the fixed address of {@code spec} is a node address of {@code subnet}: inside
     * it, and neither the gateway (.1), the router's and the host's (the last two), nor the network and broadcast
     * addresses.
     *
     * @param subnet the network's subnet, as a.b.c.d/n
     * @param spec a node with a fixed address ({@link NodeSpec#address})
     * @throws IllegalArgumentException if {@code subnet} is not a valid subnet ({@link #checkSubnet}), or the
     *     address is not a node address of it
     * @throws NullPointerException if {@code spec} has no fixed address
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public static void checkAddress(String subnet, NodeSpec spec) {
        hostNumber(Subnet.parseNetwork("subnet", subnet), spec);
    }

    /**
     * Fails, saying why, unless {@code name} can name a node (it becomes the node's hostname): 1 to 63 letters,
     * digits or {@code -}, not starting or ending with {@code -}.
     *
     * @param name the name to check
     * @throws IllegalArgumentException if it is null or not such a name
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
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

    /**
     * Creates a node, joins it to the bridge and gives it the lowest free addresses; every node of the network
     * resolves its name from then on. The same as {@code addNode(NodeSpec.named(name))}.
     *
     * <pre>{@code
     * Node late = network.addNode("late");
     * }</pre>
     *
     * @param name the node's name, also its hostname ({@link #checkName})
     * @return the node, with its link up and its addresses and routes in place
     * @throws IllegalArgumentException if {@code name} is not a node name, or the network has a node of that name
     * @throws IllegalStateException if the network is closed
     * @throws IsonetException if the subnet has no address left, or the kernel refuses a step; what was made is
     *     removed
     */
    public Node addNode(String name) {
        return addNode(NodeSpec.named(name));
    }

    /**
     * Creates a node with options, joins it to the bridge and gives it its addresses (the fixed one, or the lowest
     * free ones).
     *
     * @param spec the node: its name and options
     * @return the node, with its link up, its addresses and routes in place, and its container (if any) built
     * @throws IllegalArgumentException if the network has a node of that name, an alias is taken, the fixed
     *     address is not a node address of the subnet or is taken, or the kernel refuses a sysctl
     * @throws IllegalStateException if the network is closed
     * @throws IsonetException if the subnet has no address left, or the kernel refuses a step (such as building
     *     the node's container); what was made is removed
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
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

    /**
     * The node with this name; fails naming the nodes there are, or saying that the network is closed.
     *
     * @param name the node's name (not an alias)
     * @return the open node of that name
     * @throws IllegalArgumentException if the network has no open node of that name
     * @throws IllegalStateException if the network is closed
     */
    public synchronized Node node(String name) {
        ensureOpen();
        Node node = nodes.get(name);
        if (node == null) {
            throw new IllegalArgumentException("network " + subnet() + " has no node '" + name + "'; it has "
                    + nodes.keySet());
        }
        return node;
    }

    /**
     * The open nodes, in the order they were added.
     *
     * @return a copy of the list; empty once the network is closed
     */
    public synchronized List<Node> nodes() {
        return nodes.values().stream().filter(n -> n != null).toList();
    }

    /**
     * The address of the node (or alias, or {@value NetworkNames#HOST_ALIAS}) named {@code name} in this network:
     * its IPv4 address, carrying the name. For any JDK and any thread; on JDK 18+ a plain
     * {@code InetAddress.getByName(name)} also works (see the README: which names resolve where). Names match
     * regardless of case.
     *
     * <pre>{@code
     * InetAddress server = network.address("server");
     * client.run(() -> new Socket(server, 8080));
     * }</pre>
     *
     * @param name a node name, an alias, or {@value NetworkNames#HOST_ALIAS}
     * @return its IPv4 address
     * @throws java.net.UnknownHostException naming the names this network has, if it has no such name
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public InetAddress address(String name) throws java.net.UnknownHostException {
        return addresses(name).get(0);
    }

    /**
     * The addresses of {@code name} in this network: IPv4, then IPv6, each carrying the name.
     *
     * @param name a node name, an alias, or {@value NetworkNames#HOST_ALIAS}
     * @return its IPv4 and its IPv6 address
     * @throws java.net.UnknownHostException naming the names this network has, if it has no such name
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
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
     *
     * @param from the node that connects
     * @param to the node connected to
     * @param port the TCP port, 1 to 65535
     * @throws IllegalArgumentException if {@code from} or {@code to} is not a node of this network, or
     *     {@code port} is not 1 to 65535
     * @throws NodeClosedException if {@code from} is closed
     * @throws org.awaitility.core.ConditionTimeoutException if no connection succeeded in time
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public void awaitReachable(Node from, Node to, int port) {
        awaitReachable(from, to, port, Node.DEFAULT_AWAIT_TIMEOUT);
    }

    /**
     * Waits until a thread in {@code from} can open a TCP connection to {@code to}'s IPv4 address on {@code port}
     * (connecting every 20 ms, each attempt at most 1 s, and closing at once). On timeout it fails with a
     * {@link org.awaitility.core.ConditionTimeoutException} that says what it tried, for how long, the last error,
     * and the last lines of {@code to}'s processes.
     *
     * <pre>{@code
     * network.awaitReachable(client, server, 8080, Duration.ofSeconds(10));
     * }</pre>
     *
     * @param from the node that connects
     * @param to the node connected to
     * @param port the TCP port, 1 to 65535
     * @param timeout how long to wait at most
     * @throws IllegalArgumentException if {@code from} or {@code to} is not a node of this network, if
     *     {@code port} is not 1 to 65535, or if {@code timeout} is null, zero or negative
     * @throws NodeClosedException if {@code from} is closed
     * @throws org.awaitility.core.ConditionTimeoutException if no connection succeeded within {@code timeout}
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public void awaitReachable(Node from, Node to, int port, java.time.Duration timeout) {
        for (Node node : List.of(from, to)) {
            if (node.network() != this) {
                throw new IllegalArgumentException(node + " is not a node of network " + subnet());
            }
        }
        Readiness.awaitReachable(from, to, port, timeout);
    }

    /**
     * The IPv4 subnet.
     *
     * @return the subnet, as a.b.c.d/n
     */
    public String subnet() {
        return router.subnet().toString();
    }

    /**
     * The IPv6 subnet: a unique local /64 derived from the IPv4 subnet.
     *
     * @return the subnet, as prefix::/64
     */
    public String ipv6Subnet() {
        return router.subnet().ipv6Prefix().getHostAddress() + "/64";
    }

    /**
     * The gateway: the router's address on the bridge, the subnet's first host address (.1), and each node's
     * default route.
     *
     * @return the gateway's IPv4 address
     */
    public Inet4Address gateway() {
        return router.subnet().ipv4(1);
    }

    /**
     * The gateway's IPv6 address, with the same host number as {@link #gateway()}: each node's IPv6 default route.
     *
     * @return the gateway's IPv6 address
     */
    public Inet6Address gatewayIpv6() {
        return router.subnet().ipv6(1);
    }

    /**
     * The host's own address toward this network: what nodes see when the test thread connects to them, and
     * where they reach the host (also as {@value NetworkNames#HOST_ALIAS}).
     *
     * @return the subnet's last host address
     */
    public Inet4Address hostAddress() {
        return router.subnet().ipv4(router.subnet().lastHost());
    }

    /**
     * The host's own IPv6 address toward this network, with the same host number as {@link #hostAddress()}.
     *
     * @return the host's IPv6 address in {@link #ipv6Subnet()}
     */
    public Inet6Address hostAddressIpv6() {
        return router.subnet().ipv6(router.subnet().lastHost());
    }

    /**
     * The source address that the router's NAT gives node traffic leaving the network, as the host sees it;
     * beyond the host, such traffic carries the host's own address.
     *
     * @return the router's address on its uplink, the subnet's second-to-last host address
     */
    public Inet4Address egressAddress() {
        return router.subnet().ipv4(router.subnet().lastHost() - 1);
    }

    /**
     * Whether nodes reach beyond the host, masqueraded as {@link #egressAddress()}.
     *
     * @return whether the network was built with NAT on
     */
    public boolean nat() {
        return nat;
    }

    /**
     * The name of the network's one link on the host (its uplink veth), unique among live networks: for
     * {@code ip}, {@code tcpdump} or {@code ss} on the host.
     *
     * @return the interface name
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public String hostLink() {
        return router.hostLink();
    }

    /**
     * The host and everything beyond this network's uplink, as its nodes see it: an {@link Endpoint} of
     * partitions and blocks, and a {@link Link} for loss, rate, delay and disconnect.
     *
     * <pre>{@code
     * network.block(app, network.outside());
     * network.outside().delay(Duration.ofMillis(80));
     * }</pre>
     *
     * @return the network's outside, the same object at each call
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
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
     * <pre>{@code
     * Fault split = network.partition(List.of(a, b), List.of(c, network.outside()));
     * ...
     * split.heal();
     * }</pre>
     *
     * @param groups the groups, at least two, each with at least one endpoint
     * @return the partition, active until healed
     * @throws IllegalArgumentException for fewer than two groups, an empty group, an endpoint in two groups, or
     *     a node or outside of another network; nothing changes
     * @throws NullPointerException if {@code groups}, a group or an endpoint is null
     * @throws IllegalStateException if the network, a node ({@link NodeClosedException}) or an external host is
     *     closed
     * @throws IsonetException if the kernel refuses the change
     */
    @SafeVarargs
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public final Fault partition(Collection<? extends Endpoint>... groups) {
        return faults.partition(groups);
    }

    /**
     * Cuts {@code node} from every other node (also those added later), the host and the outside, both ways.
     * ARP and neighbour discovery still pass. Reads {@code isolate a}.
     *
     * <pre>{@code
     * Fault alone = network.isolate(leader);
     * }</pre>
     *
     * @param node the node to cut off
     * @return the isolation, active until healed
     * @throws IllegalArgumentException if {@code node} is of another network; nothing changes
     * @throws NullPointerException if {@code node} is null
     * @throws IllegalStateException if the network or the node ({@link NodeClosedException}) is closed
     * @throws IsonetException if the kernel refuses the change
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public Fault isolate(Node node) {
        return faults.isolate(node);
    }

    /**
     * One way: packets from {@code from} to {@code to} are dropped, while packets from {@code to} to
     * {@code from} still arrive (ARP and neighbour discovery pass both ways, so they really do). A TCP connect
     * either way then times out: its handshake needs both directions. Reads {@code block a -> b}.
     *
     * <pre>{@code
     * Fault noInternet = network.block(app, network.outside());
     * }</pre>
     *
     * @param from the endpoint whose packets are dropped
     * @param to where they were going
     * @return the block, active until healed
     * @throws IllegalArgumentException if from and to are the same, if neither is a node of this network, or
     *     for a node or outside of another network; nothing changes
     * @throws NullPointerException if {@code from} or {@code to} is null
     * @throws IllegalStateException if the network, a node ({@link NodeClosedException}) or an external host is
     *     closed
     * @throws IsonetException if the kernel refuses the change
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public Fault block(Endpoint from, Endpoint to) {
        return faults.block(from, to);
    }

    /**
     * Undoes every fault of this network: the rules in one transaction, then each disconnected link. Nothing
     * to do on a closed network.
     *
     * @throws IsonetException if the kernel refuses to change the rules (every fault then stays active), or a
     *     link does not come up again (the other links are still reconnected; the first failure is thrown)
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public void heal() {
        faults.healAll();
    }

    /**
     * The active faults, oldest first: for diagnostics. Empty once the network is closed.
     *
     * @return a copy of the list of faults not yet healed or replaced
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
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
     * does this when a test fails.
     *
     * @param directory where to write the files
     * @return the files written
     * @throws IllegalStateException if the network is closed
     * @throws java.io.UncheckedIOException if a file cannot be written
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public List<java.nio.file.Path> writeDiagnostics(java.nio.file.Path directory) {
        ensureOpen();
        return Diagnostics.write(this, directory);
    }

    /**
     * Closes every node (last added first; see {@link Node#close()}), then the router; its faults go with it.
     * Idempotent; returns without waiting for the kernel's reaping ({@link #reaped()}). If closing a node fails,
     * the rest is closed all the same and the first failure is thrown.
     */
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
     *
     * <pre>{@code
     * network.close();
     * network.reaped().get(10, TimeUnit.SECONDS);
     * }</pre>
     *
     * @return a future that completes when nothing of the network can be reached any more
     * @throws IllegalStateException if the network is not closed yet
     */
    public synchronized CompletableFuture<Void> reaped() {
        if (reaped == null) {
            throw new IllegalStateException("network " + subnet() + " is not closed");
        }
        return reaped;
    }

    /**
     * The network for messages.
     *
     * @return {@code Network}, its subnet, its host link and the names of its nodes
     */
    @Override
    public String toString() {
        return "Network " + subnet() + " (" + hostLink() + ", nodes " + nodes.keySet() + ")";
    }
}
