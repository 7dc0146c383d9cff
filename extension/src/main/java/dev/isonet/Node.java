package dev.isonet;

import dev.isonet.internal.names.OpenNetworks;
import dev.isonet.internal.netlink.Rtnetlink;
import dev.isonet.internal.ns.Confinement;
import dev.isonet.internal.ns.ContainerOptions;
import dev.isonet.internal.ns.HostNamespaces;
import dev.isonet.internal.ns.Namespace;
import dev.isonet.internal.topology.Router;
import dev.isonet.internal.topology.Spares;
import dev.isonet.internal.topology.Trace;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * A host on a {@link Network}: its own network and UTS namespaces (hostname = name), with {@code lo}, an
 * {@code eth0} on the network's bridge, an IPv4 and an IPv6 address, and default routes via the gateway.
 *
 * <p>Java code runs inside with {@link #run}, {@link #threadFactory()} or {@link #executor()}: sockets,
 * threads and processes it creates belong to the node. Processes run inside with {@link #exec} or
 * {@link #start}, which returns a {@link NodeProcess} with their output. Closing the node stops its processes
 * (SIGTERM, then SIGKILL after {@code isonet.stop.grace}), ends its threads and lets the kernel reap its
 * namespaces.
 *
 *
 * <p>A node built with a root filesystem or limits ({@link NodeSpec#rootfs}, {@link NodeSpec#memoryLimit},
 * {@link NodeSpec#pidsLimit}, {@link NodeSpec#cpus}) runs its processes as a container: in that root, in a cgroup
 * of its own ({@link #rootfsChanges()}, {@link #oomKills()}, {@link #forksRefused()}). Java code run with
 * {@link #run} stays in the node's network, UTS and mount namespace (with the network's hosts file) only, with the
 * host's files and no limit: a thread's own PID namespace never changes, and the JVM, whose JDK and classes are
 * on the host's filesystem, cannot run from inside a foreign root.
 */
public final class Node implements AutoCloseable, Endpoint, Link {
    /** The timeout of {@link #exec(String...)}. */
    public static final Duration DEFAULT_EXEC_TIMEOUT = Duration.ofSeconds(60);
    /** The timeout of {@link #awaitListening(int)} and {@link Network#awaitReachable(Node, Node, int)}. */
    public static final Duration DEFAULT_AWAIT_TIMEOUT = Duration.ofSeconds(30);

    private final Network network;
    private final String name;
    private final int hostNumber;
    private final Inet4Address ipv4;
    private final Inet6Address ipv6;
    private final Namespace namespace;
    private final Rtnetlink rtnetlink;
    private final Router router;
    private final Router.Port port;
    private final NodeProcesses processes;
    private volatile boolean closed;

    private Node(Network network, String name, int hostNumber, Router router, Namespace namespace, Rtnetlink rtnetlink,
                 Router.Port port) {
        this.network = network;
        this.name = name;
        this.hostNumber = hostNumber;
        this.ipv4 = router.subnet().ipv4(hostNumber);
        this.ipv6 = router.subnet().ipv6(hostNumber);
        this.namespace = namespace;
        this.rtnetlink = rtnetlink;
        this.router = router;
        this.port = port;
        this.processes = new NodeProcesses(namespace, "node '" + name + "'");
    }

    /**
     * Makes the node from {@code parts}: joins it to the bridge and sets it up, unless {@code madeAhead} is the
     * port of a node the router made ahead with these parts (then only that port is still down).
     */
    static Node create(Network network, Router router, NodeSpec spec, int hostNumber, Spares.NodeParts parts,
                       Router.Port madeAhead) {
        String name = spec.name();
        Node node = new Node(network, name, hostNumber, router,
                new Namespace(name, "node '" + name + "'", parts.fds(), network.names(),
                        new ContainerOptions(spec.rootfs(), spec.limits())),
                parts.rtnetlink(), madeAhead != null ? madeAhead : router.newPort());
        node.namespace.hostnameIsNow(parts.hostname());
        OpenNetworks.jvm().nodeOpened(node.namespace.identity(), network.names());
        try {
            if (madeAhead == null) {
                router.rtnetlink().apply(router.attach(node.namespace.fds(), hostNumber, node.port, spec.mtu()));
                Trace.step("node: veth to the bridge", name);
                node.rtnetlink.apply(Router.nodeSetup(router.subnet(), hostNumber));
                Trace.step("node: up, addresses, routes", name);
            }
            if (!spec.sysctls().isEmpty()) {
                node.applySysctls(spec.sysctls());
            }
            if (spec.rootfs() != null || spec.limits().any()) {
                node.startContainer();
                Trace.step("node: container", name);
            }
            return node;
        } catch (RuntimeException e) {
            node.closeResources();
            throw e;
        }
    }

    /** Builds the process namespace, root filesystem and cgroup now, so that a container that cannot be fails here. */
    private void startContainer() {
        try {
            namespace.startContainer();
        } catch (IOException e) {
            throw new IsonetException("node '" + name + "': could not start its process namespace: " + e.getMessage(),
                    e);
        }
    }

    /** Writes sysctls of the node's network namespace: /proc/sys/net acts on the opener's namespace. */
    private void applySysctls(java.util.Map<String, String> sysctls) {
        HostNamespaces.inNetwork(namespace.fds().net(), "node '" + name + "'", () -> {
            for (java.util.Map.Entry<String, String> sysctl : sysctls.entrySet()) {
                java.nio.file.Path file = java.nio.file.Path.of("/proc/sys", sysctl.getKey().replace('.', '/'));
                try {
                    java.nio.file.Files.writeString(file, sysctl.getValue());
                } catch (IOException e) {
                    throw new IllegalArgumentException("sysctl " + sysctl.getKey() + "=" + sysctl.getValue()
                            + " could not be set in node '" + name + "': " + e.getMessage(), e);
                }
            }
            return null;
        });
    }

    public String name() {
        return name;
    }

    public Network network() {
        return network;
    }

    public Inet4Address ipv4() {
        return ipv4;
    }

    public Inet6Address ipv6() {
        return ipv6;
    }

    int hostNumber() {
        return hostNumber;
    }

    Router.Port port() {
        return port;
    }

    Rtnetlink rtnetlink() {
        return rtnetlink;
    }

    /** The node's network namespace, to open sockets inside it. */
    int netFd() {
        return namespace.fds().net();
    }

    /** The MAC address of its eth0, in the low 48 bits. */
    long mac() {
        long mac = 0;
        for (byte b : router.subnet().mac(hostNumber)) {
            mac = (mac << 8) | (b & 0xff);
        }
        return mac;
    }

    Namespace namespace() {
        return namespace;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Loss on this node's link: {@link Direction#EGRESS} is what it sends, {@link Direction#INGRESS} what it
     * receives. Reads {@code loss 30% egress on node a}. See {@link Link#loss(double, Direction)}.
     */
    @Override
    public Fault loss(double percent, Direction direction) {
        return network.networkFaults().loss(this, percent, direction);
    }

    /**
     * A rate limit on this node's link: {@link Direction#EGRESS} is what it sends (a token bucket on its eth0),
     * {@link Direction#INGRESS} what it receives (on its bridge port). Reads {@code rate 1 Mbit/s egress on
     * node a}. See {@link Link#rate(long, Direction)}.
     */
    @Override
    public Fault rate(long bitsPerSecond, Direction direction) {
        return network.networkFaults().rate(this, bitsPerSecond, direction);
    }

    /**
     * A delay on this node's link: {@link Direction#EGRESS} is what it sends, {@link Direction#INGRESS} what it
     * receives. Reads {@code delay 50 ms ± 10 ms egress on node a}. See
     * {@link Link#delay(java.time.Duration, java.time.Duration, Direction)}.
     */
    @Override
    public Fault delay(Duration delay, Duration jitter, Direction direction) {
        return network.networkFaults().delay(this, delay, jitter, direction);
    }

    /** Takes eth0 down. Reads {@code node a disconnected}. See {@link Link#disconnect()}. */
    @Override
    public Fault disconnect() {
        return network.networkFaults().disconnect(this);
    }

    @Override
    public void reconnect() {
        network.networkFaults().reconnect(this);
    }

    /**
     * Runs {@code task} on a thread inside this node and returns its result; its exception is rethrown as is.
     * Threads are pooled per node, so a warm call costs one hand-off.
     *
     * @throws NodeClosedException if the node is closed, or closes while the task runs (the caller is released
     *     at once; the task's thread is interrupted and its sockets in the node are aborted)
     */
    public <T> T run(Callable<T> task) throws Exception {
        return namespace.run(task);
    }

    /**
     * New platform threads that live inside this node (and whose own child threads do too). Give it to
     * libraries that start their own threads (Netty event loops, gRPC executors) so their sockets are the
     * node's. After close it refuses with {@link NodeClosedException}.
     */
    public ThreadFactory threadFactory() {
        return namespace.threadFactory();
    }

    /**
     * An executor whose threads live inside this node. It is shut down with the node, not before; after close
     * it refuses tasks with a {@link java.util.concurrent.RejectedExecutionException}.
     */
    public ExecutorService executor() {
        return namespace.executor();
    }

    /** Runs a command inside this node, waits up to {@link #DEFAULT_EXEC_TIMEOUT}, and returns its output. */
    public ExecResult exec(String... command) throws IOException, InterruptedException {
        return exec(DEFAULT_EXEC_TIMEOUT, command);
    }

    /** Runs a command inside this node; past {@code timeout} it is killed and an IOException says so. */
    public ExecResult exec(Duration timeout, String... command) throws IOException, InterruptedException {
        if (command.length == 0) {
            throw new IllegalArgumentException("exec needs a command");
        }
        return namespace.exec(timeout, List.of(command));
    }

    /**
     * Runs {@code command} (with its environment, directory, standard input and user) inside this node, waits up
     * to {@link #DEFAULT_EXEC_TIMEOUT}, and returns its output.
     */
    public ExecResult exec(Command command) throws IOException, InterruptedException {
        return exec(DEFAULT_EXEC_TIMEOUT, command);
    }

    /** Runs {@code command} inside this node; past {@code timeout} it (and all it started) is killed and an IOException says so. */
    public ExecResult exec(Duration timeout, Command command) throws IOException, InterruptedException {
        return processes.exec(timeout, command);
    }

    /**
     * Starts {@code command} inside this node and returns its handle: its output is kept line by line
     * ({@link NodeProcess#logs()}), and it is stopped, with everything it started, when the node closes.
     */
    public NodeProcess start(Command command) throws IOException {
        return processes.start(command);
    }

    /** Starts {@code Command.of(command)}; see {@link #start(Command)}. */
    public NodeProcess start(String... command) throws IOException {
        return processes.start(Command.of(command));
    }

    /**
     * Starts the builder's command (with its environment, directory and redirects) inside this node. Output
     * streams left as pipes are captured into the handle's log; standard input stays what the builder says (a
     * pipe by default: {@code process().getOutputStream()}).
     */
    public NodeProcess start(ProcessBuilder builder) throws IOException {
        return processes.start(builder);
    }

    /** Starts a child JVM inside this node; see {@link JvmCommand}. */
    public NodeProcess startJvm(JvmCommand jvm) throws IOException {
        return processes.start(jvm.toCommand());
    }

    /** The processes started in this node with {@code start} or {@code startJvm}, running or not, oldest first. */
    public List<NodeProcess> processes() {
        return processes.all();
    }

    /**
     * Waits until something in this node listens on TCP {@code port}, or has bound UDP {@code port}, at most
     * {@link #DEFAULT_AWAIT_TIMEOUT}. See {@link #awaitListening(int, Duration)}.
     */
    public void awaitListening(int port) {
        awaitListening(port, DEFAULT_AWAIT_TIMEOUT);
    }

    /**
     * Waits until a socket in this node listens on TCP {@code port} (any address), or is bound to UDP
     * {@code port}. It reads the node's sockets through sock_diag (as {@code ss -tuln} does), every 10 ms; it
     * never connects, so the server sees no probe. On timeout it fails with a
     * {@link org.awaitility.core.ConditionTimeoutException} that says what it waited for, for how long, which
     * ports were open at the last look, and the last lines of this node's processes.
     */
    public void awaitListening(int port, Duration timeout) {
        Readiness.awaitListening(this, namespace, port, timeout);
    }

    /**
     * The upper layer of the node's root filesystem ({@link NodeSpec#rootfs}): every file its processes created or
     * changed there, at the same path below it (a deleted file shows as a character device, overlayfs' whiteout).
     * The lower directory is never written. The directory is the node's, in {@code java.io.tmpdir}, and is removed
     * when the node closes: read it while the node is open. What processes write to /tmp, /dev/shm and the other
     * mounts inside is not in it.
     *
     * @throws IllegalStateException if the node has no root filesystem
     * @throws NodeClosedException once the node is closed (the directory is gone)
     */
    public java.nio.file.Path rootfsChanges() {
        if (closed) {
            throw new NodeClosedException("node '" + name + "' is closed: its root filesystem's changes were removed"
                    + " with it");
        }
        Confinement confinement = namespace.confinement();
        if (confinement == null || confinement.rootfsChanges() == null) {
            throw new IllegalStateException("node '" + name + "' has no root filesystem (NodeSpec.rootfs, or"
                    + " @Container(rootfs = ...))");
        }
        return confinement.rootfsChanges();
    }

    /**
     * How many of the node's processes the kernel's OOM killer has killed since the node was built, from its
     * cgroup's counter ({@code oom_kill} in memory.events on cgroup v2, memory.oom_control on v1); 0 without a
     * memory limit. A process killed so exits with status 137 (SIGKILL). Still answers after close.
     */
    public long oomKills() {
        Confinement confinement = namespace.confinement();
        return confinement == null ? 0 : confinement.oomKills();
    }

    /**
     * How many forks the node's pids limit has refused ({@code max} in its cgroup's pids.events); 0 without a pids
     * limit. Still answers after close.
     */
    public long forksRefused() {
        Confinement confinement = namespace.confinement();
        return confinement == null ? 0 : confinement.forksRefused();
    }

    /** The node's root filesystem and cgroup, once built; null without them. For tests. */
    Confinement confinement() {
        return namespace.confinement();
    }

    /** Threads of this JVM inside this node, as "name (tid N)": after close, any of them is a leak. */
    public List<String> threadsInside() {
        return namespace.threadsInside();
    }

    /**
     * Closes the node: at once it is off the network (its bridge port goes down, whatever still holds its
     * namespace), callers of {@link #run} are released with {@link NodeClosedException}, its pool threads are
     * interrupted, and its processes are stopped by PID; then its namespaces are released for the kernel to
     * reap. Idempotent.
     */
    @Override
    public void close() {
        close(true);
    }

    /** {@code unplug} is false when the whole network closes: its bridge goes with the router. */
    void close(boolean unplug) {
        if (closed) {
            return;
        }
        closed = true;
        network.networkFaults().nodeClosed(this); // before its namespace goes: a delay's socket there is closed
        long start = System.nanoTime();
        RuntimeException failure = null;
        if (unplug) {
            try {
                router.unplug(port);
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        closeResources();
        network.removed(this);
        network.events().add("node closed: " + name + (unplug ? "" : ", with its network"), start);
        if (failure != null) {
            throw IsonetException.of("unplugging node '" + name + "' from its network", failure);
        }
    }

    private void closeResources() {
        OpenNetworks.jvm().nodeClosed(namespace.identity());
        namespace.close();
        rtnetlink.close();
    }

    @Override
    public String toString() {
        return "Node " + name + " (" + ipv4.getHostAddress() + ", " + ipv6.getHostAddress() + ")";
    }
}
