package dev.isonet;

import dev.isonet.internal.topology.Upstream;
import java.io.IOException;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import org.apiguardian.api.API;

/**
 * A stand-in for a host beyond the machine: a network namespace joined straight to the host by a veth, with
 * the address you give it (use a documentation range, 198.51.100.0/24 or 203.0.113.0/24). Nodes of a network
 * with NAT reach it as they would reach the outside world, and it sees them masqueraded. Its subnet must not
 * overlap the host's routes or another Isonet network; nothing of it outlives {@link #close()}.
 *
 * <pre>{@code
 * try (ExternalHost upstream = ExternalHost.create("upstream", "203.0.113.10/24")) {
 *     ServerSocket server = upstream.run(() -> new ServerSocket(80));
 *     ...
 * }
 * }</pre>
 *
 * <p>Code and processes run inside it as in a {@link Node}: {@link #run}, {@link #executor()}, {@link #exec}
 * and {@link #start}; after {@link #close()} each of these fails with a {@link NodeClosedException}. It is also
 * an {@link Endpoint} of faults: {@code network.block(node, upstream)}.
 */
@API(status = API.Status.MAINTAINED, since = "0.1")
public final class ExternalHost implements AutoCloseable, Endpoint {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    private final String name;
    private final Upstream upstream;
    private final NodeProcesses processes;
    private CompletableFuture<Void> reaped;

    private ExternalHost(String name, Upstream upstream) {
        this.name = name;
        this.upstream = upstream;
        this.processes = new NodeProcesses(upstream.namespace(), "external host '" + name + "'");
    }

    /**
     * Creates an external host at {@code address}: a namespace named {@code name}, a veth to the host, and a
     * route to the rest of the world through the host. The host's end of the veth takes the subnet's first
     * address (its second, if {@code address} is the first), and the host forwards what arrives from it.
     * Checks the name and the address before it creates anything.
     *
     * @param name the name faults and messages call it by: 1 to 63 letters, digits or {@code -}, not starting or
     *     ending with {@code -}
     * @param address its address and subnet, {@code a.b.c.d/n}: a host address of the subnet, not in a reserved
     *     range (0.0.0.0/8, loopback, link-local, multicast, 240.0.0.0/4)
     * @return the external host, with its address and route in place
     * @throws IllegalArgumentException if {@code name} or {@code address} is not of that form; nothing was
     *     created
     * @throws IsonetException if this process lacks the privileges ({@link Privileges}), if the subnet overlaps
     *     the host's routes or another Isonet network, or if the kernel refuses a step; what was made is removed
     */
    public static ExternalHost create(String name, String address) {
        Network.checkName(name);
        Upstream.checkAddress(address);
        Privileges.require();
        long start = System.nanoTime();
        try {
            ExternalHost host = new ExternalHost(name, Upstream.create(name, address));
            LOG.log(System.Logger.Level.DEBUG, () -> "isonet: external host '" + name + "' created at " + address
                    + " (" + dev.isonet.internal.diagnostics.Events.millis(System.nanoTime() - start) + ")");
            return host;
        } catch (RuntimeException e) {
            throw IsonetException.of("creating external host '" + name + "' at " + address, e);
        }
    }

    /**
     * The name it was created with.
     *
     * @return its name, as faults and messages show it
     */
    public String name() {
        return name;
    }

    /**
     * Its address: what nodes connect to.
     *
     * @return the address given to {@link #create(String, String)}, without the prefix length
     */
    public Inet4Address address() {
        return upstream.address();
    }

    /**
     * The host's own address on the link to it: what the external host sees as its gateway, and as the source of
     * masqueraded traffic from nodes.
     *
     * @return the host's address in the external host's subnet
     */
    public Inet4Address hostAddress() {
        return upstream.hostAddress();
    }

    /**
     * Runs {@code task} on a thread inside it and returns its result, as {@link Node#run} does: its exception is
     * rethrown as is. Sockets the task opens are the external host's.
     *
     * <pre>{@code
     * ServerSocket server = upstream.run(() -> new ServerSocket(80));
     * }</pre>
     *
     * @param <T> the type of the task's result
     * @param task the code to run
     * @return what {@code task} returned
     * @throws NodeClosedException if it is closed, or closes while the task runs (the caller is released at once)
     * @throws Exception whatever {@code task} throws
     */
    public <T> T run(Callable<T> task) throws Exception {
        return upstream.namespace().run(task);
    }

    /**
     * An executor whose threads live inside it. It is shut down when this closes, not before: its
     * {@code shutdown} and {@code shutdownNow} throw {@link UnsupportedOperationException}; after close it refuses
     * tasks with a {@link java.util.concurrent.RejectedExecutionException}.
     *
     * @return the external host's executor, the same at each call
     * @throws NodeClosedException if it is closed
     */
    public ExecutorService executor() {
        return upstream.namespace().executor();
    }

    /**
     * New platform threads that live inside it (and whose own child threads do too), as
     * {@link Node#threadFactory()}. Give it to libraries that start their own threads, so their sockets are the
     * external host's. After close it refuses new threads with a {@link NodeClosedException}.
     *
     * @return a thread factory for threads inside the external host
     * @throws NodeClosedException if it is closed
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public ThreadFactory threadFactory() {
        return upstream.namespace().threadFactory();
    }

    /**
     * Runs a command inside it, waits up to {@link Node#DEFAULT_EXEC_TIMEOUT}, and returns its output, as
     * {@link Node#exec(String...)} does. Standard input is empty.
     *
     * <pre>{@code
     * ExecResult route = upstream.exec("ip", "route");
     * }</pre>
     *
     * @param command the program and its arguments, as {@code execve} takes them (no shell)
     * @return its exit code and output
     * @throws IllegalArgumentException if {@code command} is empty
     * @throws NodeClosedException if it is closed
     * @throws IOException if the command cannot be started, or has not ended within the timeout (it and all it
     *     started were killed; the message holds its output so far)
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public ExecResult exec(String... command) throws IOException, InterruptedException {
        return exec(Node.DEFAULT_EXEC_TIMEOUT, command);
    }

    /**
     * Runs a command inside it, waits up to {@code timeout}, and returns its output, as
     * {@link Node#exec(Duration, String...)} does. Standard input is empty.
     *
     * @param timeout how long the command may run; past it, it is killed
     * @param command the program and its arguments, as {@code execve} takes them (no shell)
     * @return its exit code and output
     * @throws IllegalArgumentException if {@code command} is empty
     * @throws NodeClosedException if it is closed
     * @throws IOException if the command cannot be started, or has not ended within {@code timeout} (it and
     *     all it started were killed; the message holds its output so far)
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    public ExecResult exec(Duration timeout, String... command) throws IOException, InterruptedException {
        if (command.length == 0) {
            throw new IllegalArgumentException("exec needs a command");
        }
        return upstream.namespace().exec(timeout, List.of(command));
    }

    /**
     * Runs {@code command} (with its environment, directory, standard input and user) inside it, waits up to
     * {@link Node#DEFAULT_EXEC_TIMEOUT}, and returns its output, as {@link Node#exec(Command)} does.
     *
     * <pre>{@code
     * ExecResult id = upstream.exec(Command.of("id", "-u").user("nobody"));
     * }</pre>
     *
     * @param command what to run
     * @return its exit code and output
     * @throws NodeClosedException if it is closed
     * @throws IOException if the command cannot be started, or has not ended within the timeout (it and all it
     *     started were killed; the message holds its output so far)
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public ExecResult exec(Command command) throws IOException, InterruptedException {
        return processes.exec(Node.DEFAULT_EXEC_TIMEOUT, command);
    }

    /**
     * Starts the builder's command (with its environment, directory and redirects) inside it, as
     * {@link Node#start(ProcessBuilder)} does. Output streams left as pipes are captured into the handle's log;
     * standard input stays what the builder says (a pipe by default: {@code process().getOutputStream()}). The
     * process, and all it starts, is stopped when this closes.
     *
     * @param builder the command and how to start it
     * @return the running process
     * @throws NodeClosedException if it is closed
     * @throws IOException if the process cannot be started
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public NodeProcess start(ProcessBuilder builder) throws IOException {
        return processes.start(builder);
    }

    /**
     * Starts {@code command} inside it and returns its handle, as {@link Node#start(Command)} does: its output is
     * kept line by line ({@link NodeProcess#logs()}), and it is stopped, with all it started, when this closes.
     *
     * <pre>{@code
     * NodeProcess web = upstream.start(Command.of("python3", "-u", "-m", "http.server", "80"));
     * web.awaitLog("Serving HTTP", Duration.ofSeconds(10));
     * }</pre>
     *
     * @param command what to run
     * @return the running process
     * @throws NodeClosedException if it is closed
     * @throws IOException if the process cannot be started
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public NodeProcess start(Command command) throws IOException {
        return processes.start(command);
    }

    /**
     * Runs {@code command} inside it, as {@link Node#exec(Duration, Command)} does.
     *
     * @param timeout how long to wait before the command and all it started are killed
     * @param command what to run
     * @return its exit code and output
     * @throws NodeClosedException if it is closed
     * @throws IOException if the command cannot be started, or has not ended within the timeout
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public ExecResult exec(Duration timeout, Command command) throws IOException, InterruptedException {
        return processes.exec(timeout, command);
    }

    /**
     * Starts {@code Command.of(command)} inside it; see {@link #start(Command)}.
     *
     * @param command the program and its arguments
     * @return the running process
     * @throws NodeClosedException if it is closed
     * @throws IOException if the process cannot be started
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public NodeProcess start(String... command) throws IOException {
        return processes.start(Command.of(command));
    }

    /**
     * Starts a child JVM inside it, as {@link Node#startJvm(JvmCommand)} does.
     *
     * @param jvm the JVM to start
     * @return the running JVM
     * @throws NodeClosedException if it is closed
     * @throws IOException if the JVM cannot be started
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public NodeProcess startJvm(JvmCommand jvm) throws IOException {
        return processes.start(jvm.toCommand());
    }

    /**
     * The processes started in it, running or not, oldest first.
     *
     * @return the processes
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public java.util.List<NodeProcess> processes() {
        return processes.all();
    }

    /**
     * Removes it: its threads are interrupted and callers of {@link #run} released, its processes are stopped
     * (SIGTERM, then SIGKILL after the grace period {@code isonet.stop.grace}), and its namespace is released.
     * The kernel then removes its link and routes from the host: {@link #reaped()} completes when it has.
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (reaped == null) {
            reaped = upstream.close();
            LOG.log(System.Logger.Level.DEBUG, () -> "isonet: external host '" + name + "' closed");
        }
    }

    synchronized boolean isClosed() {
        return reaped != null;
    }

    /**
     * Completes once the kernel has removed its link and routes from the host, after {@link #close()}.
     *
     * <pre>{@code
     * upstream.close();
     * upstream.reaped().get(5, TimeUnit.SECONDS);
     * }</pre>
     *
     * @return a future that completes when nothing of it is left on the host
     * @throws IllegalStateException if it is not closed yet
     */
    public synchronized CompletableFuture<Void> reaped() {
        if (reaped == null) {
            throw new IllegalStateException("external host '" + name + "' is not closed");
        }
        return reaped;
    }
}
