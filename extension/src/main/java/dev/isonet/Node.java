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
import org.apiguardian.api.API;

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
 * <pre>{@code
 * Node server = network.node("server");
 * NodeProcess web = server.start("python3", "-u", "-m", "http.server", "8080");
 * server.awaitListening(8080);
 *
 * Node client = network.node("client");
 * ExecResult page = client.exec("curl", "-sf", "http://server:8080/");
 * InetAddress address = network.address("server");
 * int local = client.run(() -> {
 *     try (Socket socket = new Socket(address, 8080)) {
 *         return socket.getLocalPort();
 *     }
 * });
 * }</pre>
 *
 * <p>A node is also a {@link Link} (loss, rate, delay and disconnect of its eth0) and an {@link Endpoint} of the
 * network's partitions and blocks.
 *
 * <p>A node built with a root filesystem or limits ({@link NodeSpec#rootfs}, {@link NodeSpec#memoryLimit},
 * {@link NodeSpec#pidsLimit}, {@link NodeSpec#cpus}) runs its processes as a container: in that root, in a cgroup
 * of its own ({@link #rootfsChanges()}, {@link #oomKills()}, {@link #forksRefused()}). Java code run with
 * {@link #run} stays in the node's network, UTS and mount namespace (with the network's hosts file) only, with the
 * host's files and no limit: a thread's own PID namespace never changes, and the JVM, whose JDK and classes are
 * on the host's filesystem, cannot run from inside a foreign root.
 */
@API(status = API.Status.MAINTAINED, since = "0.1")
public final class Node implements AutoCloseable, Endpoint, Link {
    /** The timeout of {@link #exec(String...)} and {@link #exec(Command)}: 60 s. */
    public static final Duration DEFAULT_EXEC_TIMEOUT = Duration.ofSeconds(60);
    /** The timeout of {@link #awaitListening(int)} and {@link Network#awaitReachable(Node, Node, int)}: 30 s. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
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

    /**
     * The name it was built with: also its hostname, the name other nodes resolve, and what faults call it.
     *
     * @return its name
     */
    public String name() {
        return name;
    }

    /**
     * The network it is a node of.
     *
     * @return its network, also once either is closed
     */
    public Network network() {
        return network;
    }

    /**
     * Its IPv4 address on the network, in {@link Network#subnet()}.
     *
     * @return its IPv4 address
     */
    public Inet4Address ipv4() {
        return ipv4;
    }

    /**
     * Its IPv6 address on the network: a unique local address in {@link Network#ipv6Subnet()}, with the same host
     * number as its IPv4 address.
     *
     * @return its IPv6 address
     */
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
     *
     * <pre>{@code
     * Fault lossy = node.loss(30, Direction.EGRESS);
     * }</pre>
     *
     * @param percent how many packets to drop, 0 to 100; rounded to a tenth
     * @param direction which packets, seen from the node
     * @return the loss, active until healed or replaced
     * @throws IllegalArgumentException if {@code percent} is not 0 to 100; nothing changes
     * @throws NullPointerException if {@code direction} is null
     * @throws IllegalStateException if the network or the node ({@link NodeClosedException}) is closed
     * @throws IsonetException if the kernel refuses the change
     */
    @Override
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public Fault loss(double percent, Direction direction) {
        return network.networkFaults().loss(this, percent, direction);
    }

    /**
     * A rate limit on this node's link: {@link Direction#EGRESS} is what it sends (a token bucket on its eth0),
     * {@link Direction#INGRESS} what it receives (on its bridge port). Reads {@code rate 1 Mbit/s egress on
     * node a}. See {@link Link#rate(long, Direction)}.
     *
     * @param bitsPerSecond the rate, at least 8 (one byte a second; 1_000_000 is 1 Mbit/s)
     * @param direction which packets, seen from the node
     * @return the rate limit, active until healed or replaced
     * @throws IllegalArgumentException if {@code bitsPerSecond} is below 8; nothing changes
     * @throws NullPointerException if {@code direction} is null
     * @throws IllegalStateException if the network or the node ({@link NodeClosedException}) is closed
     * @throws IsonetException if the kernel refuses the change (its cause says when the kernel lacks the tbf
     *     qdisc)
     */
    @Override
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public Fault rate(long bitsPerSecond, Direction direction) {
        return network.networkFaults().rate(this, bitsPerSecond, direction);
    }

    /**
     * A delay on this node's link: {@link Direction#EGRESS} is what it sends, {@link Direction#INGRESS} what it
     * receives. Reads {@code delay 50 ms ± 10 ms egress on node a}. See
     * {@link Link#delay(java.time.Duration, java.time.Duration, Direction)}.
     *
     * <pre>{@code
     * Fault far = node.delay(Duration.ofMillis(50), Duration.ofMillis(10), Direction.EGRESS);
     * }</pre>
     *
     * @param delay how long each packet is held, on average
     * @param jitter how far each packet's time may be from {@code delay}, either way; {@code Duration.ZERO} for
     *     none
     * @param direction which packets, seen from the node
     * @return the delay, active until healed or replaced
     * @throws IllegalArgumentException if {@code delay} or {@code jitter} is negative, {@code jitter} exceeds
     *     {@code delay}, or the two add up to more than 274 s; nothing changes
     * @throws NullPointerException if {@code delay}, {@code jitter} or {@code direction} is null
     * @throws UnsupportedOperationException if the kernel cannot delay packets, naming what is missing
     * @throws IllegalStateException if the network or the node ({@link NodeClosedException}) is closed
     * @throws IsonetException if the kernel refuses the change
     */
    @Override
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public Fault delay(Duration delay, Duration jitter, Direction direction) {
        return network.networkFaults().delay(this, delay, jitter, direction);
    }

    /**
     * Takes its eth0 down: its sockets see "network unreachable" on connect, and the other nodes no longer reach
     * it. Calling it again while disconnected returns the same fault. Reads {@code node a disconnected}. See
     * {@link Link#disconnect()}.
     *
     * <pre>{@code
     * Fault cut = node.disconnect();
     * ...
     * node.reconnect(); // or cut.heal()
     * }</pre>
     *
     * @return the disconnection, active until {@link #reconnect()} or a heal
     * @throws IllegalStateException if the network or the node ({@link NodeClosedException}) is closed
     * @throws IsonetException if the kernel refuses to take the link down, or the bridge does not act on it in
     *     time
     */
    @Override
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public Fault disconnect() {
        return network.networkFaults().disconnect(this);
    }

    /**
     * Brings its eth0 up again, with the IPv6 address and routes the kernel removed when it went down; returns
     * once its bridge port forwards again. Does nothing if it is connected, or the node or its network is
     * closed. See {@link Link#reconnect()}.
     *
     * @throws IsonetException if the kernel refuses to bring the link up, or the bridge does not act on it in
     *     time
     */
    @Override
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public void reconnect() {
        network.networkFaults().reconnect(this);
    }

    /**
     * Runs {@code task} on a thread inside this node and returns its result; its exception is rethrown as is.
     * Threads are pooled per node, so a warm call costs one hand-off. Sockets the task opens are the node's.
     *
     * <pre>{@code
     * ServerSocket server = node.run(() -> new ServerSocket(8080));
     * }</pre>
     *
     * @param <T> the type of the task's result
     * @param task the code to run
     * @return what {@code task} returned
     * @throws NodeClosedException if the node is closed, or closes while the task runs (the caller is released
     *     at once; the task's thread is interrupted and its sockets in the node are aborted)
     * @throws Exception whatever {@code task} throws
     */
    public <T> T run(Callable<T> task) throws Exception {
        return namespace.run(task);
    }

    /**
     * New platform threads that live inside this node (and whose own child threads do too). Give it to
     * libraries that start their own threads (Netty event loops, gRPC executors) so their sockets are the
     * node's. After close it refuses new threads with a {@link NodeClosedException}.
     *
     * <pre>{@code
     * EventLoopGroup group = new NioEventLoopGroup(2, node.threadFactory());
     * }</pre>
     *
     * @return a thread factory for threads inside this node
     * @throws NodeClosedException if the node is closed
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public ThreadFactory threadFactory() {
        return namespace.threadFactory();
    }

    /**
     * An executor whose threads live inside this node. It is shut down with the node, not before: its
     * {@code shutdown} and {@code shutdownNow} throw {@link UnsupportedOperationException}; after close it refuses
     * tasks with a {@link java.util.concurrent.RejectedExecutionException}.
     *
     * @return the node's executor, the same at each call
     * @throws NodeClosedException if the node is closed
     */
    public ExecutorService executor() {
        return namespace.executor();
    }

    /**
     * Runs a command inside this node, waits up to {@link #DEFAULT_EXEC_TIMEOUT}, and returns its output.
     * Standard input is empty. A non-zero exit code is not an exception: see {@link ExecResult}.
     *
     * <pre>{@code
     * ExecResult ping = client.exec("ping", "-c", "1", "-W", "1", "server");
     * }</pre>
     *
     * @param command the program and its arguments, as {@code execve} takes them (no shell)
     * @return its exit code and output
     * @throws IllegalArgumentException if {@code command} is empty
     * @throws NodeClosedException if the node is closed
     * @throws IOException if the command cannot be started, or has not ended within the timeout (it and all it
     *     started were killed; the message holds its output so far)
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    public ExecResult exec(String... command) throws IOException, InterruptedException {
        return exec(DEFAULT_EXEC_TIMEOUT, command);
    }

    /**
     * Runs a command inside this node and returns its output; past {@code timeout} it (and all it started) is
     * killed and an IOException says so. Standard input is empty.
     *
     * @param timeout how long the command may run
     * @param command the program and its arguments, as {@code execve} takes them (no shell)
     * @return its exit code and output
     * @throws IllegalArgumentException if {@code command} is empty
     * @throws NodeClosedException if the node is closed
     * @throws IOException if the command cannot be started, or has not ended within the timeout (it and all it
     *     started were killed; the message holds its output so far)
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    public ExecResult exec(Duration timeout, String... command) throws IOException, InterruptedException {
        if (command.length == 0) {
            throw new IllegalArgumentException("exec needs a command");
        }
        return namespace.exec(timeout, List.of(command));
    }

    /**
     * Runs {@code command} (with its environment, directory, standard input and user) inside this node, waits up
     * to {@link #DEFAULT_EXEC_TIMEOUT}, and returns its output.
     *
     * <pre>{@code
     * ExecResult id = node.exec(Command.of("id", "-u").user("nobody"));
     * }</pre>
     *
     * @param command what to run
     * @return its exit code and output
     * @throws NodeClosedException if the node is closed
     * @throws IOException if the command cannot be started, or has not ended within the timeout (it and all it
     *     started were killed; the message holds its output so far)
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public ExecResult exec(Command command) throws IOException, InterruptedException {
        return exec(DEFAULT_EXEC_TIMEOUT, command);
    }

    /**
     * Runs {@code command} inside this node and returns its output; past {@code timeout} it (and all it started)
     * is killed and an IOException says so.
     *
     * @param timeout how long the command may run
     * @param command what to run
     * @return its exit code and output
     * @throws NodeClosedException if the node is closed
     * @throws IOException if the command cannot be started, or has not ended within the timeout (it and all it
     *     started were killed; the message holds its output so far)
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public ExecResult exec(Duration timeout, Command command) throws IOException, InterruptedException {
        return processes.exec(timeout, command);
    }

    /**
     * Starts {@code command} inside this node and returns its handle: its output is kept line by line
     * ({@link NodeProcess#logs()}), and it is stopped, with everything it started, when the node closes.
     *
     * <pre>{@code
     * NodeProcess web = server.start(Command.of("python3", "-u", "-m", "http.server", "8080"));
     * web.awaitLog("Serving HTTP", Duration.ofSeconds(10));
     * }</pre>
     *
     * @param command what to run
     * @return the running process
     * @throws NodeClosedException if the node is closed
     * @throws IOException if the process cannot be started
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public NodeProcess start(Command command) throws IOException {
        return processes.start(command);
    }

    /**
     * Starts {@code Command.of(command)} inside this node; see {@link #start(Command)}.
     *
     * @param command the program and its arguments, as {@code execve} takes them (no shell)
     * @return the running process
     * @throws NodeClosedException if the node is closed
     * @throws IOException if the process cannot be started
     * @throws IllegalArgumentException if {@code command} is empty or holds a null
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public NodeProcess start(String... command) throws IOException {
        return processes.start(Command.of(command));
    }

    /**
     * Starts the builder's command (with its environment, directory and redirects) inside this node. Output
     * streams left as pipes are captured into the handle's log; standard input stays what the builder says (a
     * pipe by default: {@code process().getOutputStream()}). The process, and all it starts, is stopped when the
     * node closes.
     *
     * @param builder the command and how to start it
     * @return the running process
     * @throws NodeClosedException if the node is closed
     * @throws IOException if the process cannot be started
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public NodeProcess start(ProcessBuilder builder) throws IOException {
        return processes.start(builder);
    }

    /**
     * Starts a child JVM inside this node; see {@link JvmCommand}. Like any process of the node, it is stopped
     * when the node closes.
     *
     * <pre>{@code
     * NodeProcess server = node.startJvm(JvmCommand.main(EchoServer.class).args("7000"));
     * }</pre>
     *
     * @param jvm the JVM to start
     * @return the running JVM
     * @throws NodeClosedException if the node is closed
     * @throws IOException if the JVM cannot be started
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public NodeProcess startJvm(JvmCommand jvm) throws IOException {
        return processes.start(jvm.toCommand());
    }

    /**
     * The processes started in this node with {@code start} or {@code startJvm}, running or not, oldest first.
     * Still answers after close.
     *
     * @return a copy of the list of processes
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public List<NodeProcess> processes() {
        return processes.all();
    }

    /**
     * Waits until something in this node listens on TCP {@code port}, or has bound UDP {@code port}, at most
     * {@link #DEFAULT_AWAIT_TIMEOUT}. See {@link #awaitListening(int, Duration)}.
     *
     * @param port the port, 1 to 65535
     * @throws IllegalArgumentException if {@code port} is not 1 to 65535
     * @throws NodeClosedException if the node is closed
     * @throws org.awaitility.core.ConditionTimeoutException if nothing listened on it in time
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public void awaitListening(int port) {
        awaitListening(port, DEFAULT_AWAIT_TIMEOUT);
    }

    /**
     * Waits until a socket in this node listens on TCP {@code port} (any address), or is bound to UDP
     * {@code port}. It reads the node's sockets through sock_diag (as {@code ss -tuln} does), every 10 ms; it
     * never connects, so the server sees no probe. On timeout it fails with a
     * {@link org.awaitility.core.ConditionTimeoutException} that says what it waited for, for how long, which
     * ports were open at the last look, and the last lines of this node's processes.
     *
     * <pre>{@code
     * server.start("redis-server", "--port", "6379");
     * server.awaitListening(6379, Duration.ofSeconds(10));
     * }</pre>
     *
     * @param port the port, 1 to 65535
     * @param timeout how long to wait at most
     * @throws IllegalArgumentException if {@code port} is not 1 to 65535, or {@code timeout} is null, zero or
     *     negative
     * @throws NodeClosedException if the node is closed
     * @throws org.awaitility.core.ConditionTimeoutException if nothing listened on it within {@code timeout}
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
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
     * @return the directory of the root filesystem's changes
     * @throws IllegalStateException if the node has no root filesystem
     * @throws NodeClosedException once the node is closed (the directory is gone)
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
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
     *
     * @return the number of processes killed for want of memory
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public long oomKills() {
        Confinement confinement = namespace.confinement();
        return confinement == null ? 0 : confinement.oomKills();
    }

    /**
     * How many forks the node's pids limit has refused ({@code max} in its cgroup's pids.events); 0 without a pids
     * limit. Still answers after close.
     *
     * @return the number of forks refused
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public long forksRefused() {
        Confinement confinement = namespace.confinement();
        return confinement == null ? 0 : confinement.forksRefused();
    }

    /** The node's root filesystem and cgroup, once built; null without them. For tests. */
    Confinement confinement() {
        return namespace.confinement();
    }

    /**
     * Threads of this JVM inside this node, as "name (tid N)": after close, any of them is a leak. Still answers
     * after close.
     *
     * @return the threads, by name and thread id; empty if no Java code ever ran inside
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public List<String> threadsInside() {
        return namespace.threadsInside();
    }

    /**
     * Closes the node: at once it is off the network (its bridge port goes down, whatever still holds its
     * namespace), callers of {@link #run} are released with {@link NodeClosedException}, its pool threads are
     * interrupted, and its processes are stopped by PID; then its namespaces are released for the kernel to
     * reap. Idempotent. Its name is free for a new node afterwards.
     *
     * @throws IsonetException if its bridge port could not be taken down; everything else is released all the
     *     same
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

    /**
     * The node for messages.
     *
     * @return {@code Node}, its name and its IPv4 and IPv6 addresses
     */
    @Override
    public String toString() {
        return "Node " + name + " (" + ipv4.getHostAddress() + ", " + ipv6.getHostAddress() + ")";
    }
}
