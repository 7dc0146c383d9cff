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

/**
 * A stand-in for a host beyond the machine: a namespace joined straight to the host, with the address you
 * give it (use a documentation range, 198.51.100.0/24 or 203.0.113.0/24). Nodes of a network with NAT reach
 * it as they would reach the outside world, and it sees them masqueraded. Its subnet must not overlap the
 * host's routes; nothing of it outlives {@link #close()}.
 *
 * <pre>{@code
 * try (ExternalHost upstream = ExternalHost.create("upstream", "203.0.113.10/24")) {
 *     ServerSocket server = upstream.run(() -> new ServerSocket(80));
 *     ...
 * }
 * }</pre>
 */
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

    /** Creates it with {@code address} (a.b.c.d/n); the host's end takes another address of that subnet. */
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

    public String name() {
        return name;
    }

    public Inet4Address address() {
        return upstream.address();
    }

    /** The host's own address on the link to it. */
    public Inet4Address hostAddress() {
        return upstream.hostAddress();
    }

    /** Runs {@code task} on a thread inside it, as {@link Node#run} does. */
    public <T> T run(Callable<T> task) throws Exception {
        return upstream.namespace().run(task);
    }

    /** An executor whose threads live inside it; it ends when this closes. */
    public ExecutorService executor() {
        return upstream.namespace().executor();
    }

    /** New threads that live inside it, as {@link Node#threadFactory()}. */
    public ThreadFactory threadFactory() {
        return upstream.namespace().threadFactory();
    }

    /** Runs a command inside it, as {@link Node#exec(String...)} does. */
    public ExecResult exec(String... command) throws IOException, InterruptedException {
        return exec(Node.DEFAULT_EXEC_TIMEOUT, command);
    }

    /** Runs a command inside it, as {@link Node#exec(Duration, String...)} does. */
    public ExecResult exec(Duration timeout, String... command) throws IOException, InterruptedException {
        if (command.length == 0) {
            throw new IllegalArgumentException("exec needs a command");
        }
        return upstream.namespace().exec(timeout, List.of(command));
    }

    /** Runs a command inside it, as {@link Node#exec(Command)} does. */
    public ExecResult exec(Command command) throws IOException, InterruptedException {
        return processes.exec(Node.DEFAULT_EXEC_TIMEOUT, command);
    }

    /** Starts a process inside it, as {@link Node#start(ProcessBuilder)} does. */
    public NodeProcess start(ProcessBuilder builder) throws IOException {
        return processes.start(builder);
    }

    /** Starts a process inside it, as {@link Node#start(Command)} does. */
    public NodeProcess start(Command command) throws IOException {
        return processes.start(command);
    }

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

    /** Completes once the kernel has removed its link and routes from the host. */
    public synchronized CompletableFuture<Void> reaped() {
        if (reaped == null) {
            throw new IllegalStateException("external host '" + name + "' is not closed");
        }
        return reaped;
    }
}
