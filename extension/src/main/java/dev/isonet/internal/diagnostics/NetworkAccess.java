package dev.isonet.internal.diagnostics;

import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.internal.ns.Namespace;
import java.util.Objects;
import java.util.function.Function;

/**
 * What diagnostics need of a {@link Network} beyond its public API: the router's namespace, the network's event
 * log and capture, and each node's namespace and bridge port. {@code Network} registers the accessor when it
 * loads, so that these stay out of the public API.
 */
public final class NetworkAccess {
    private static volatile Function<Network, Internals> access;

    private NetworkAccess() {}

    /** A network's internals. */
    public interface Internals {
        /** The router namespace's network namespace fd; valid while the network is open. */
        int routerNetFd();

        Events events();

        /** The network's capture, or null if it has none ({@link #captureProblem()} says why). */
        Capture capture();

        /** Why the network has no capture: the setting, or what failed; null when it has one. */
        String captureProblem();

        Namespace namespace(Node node);

        /** The name of the node's bridge port in the router namespace, such as {@code p0}. */
        String port(Node node);
    }

    /** Called once, by {@code Network}. */
    public static void register(Function<Network, Internals> accessor) {
        access = accessor;
    }

    public static Internals of(Network network) {
        return Objects.requireNonNull(access, "Network registers its accessor when it loads").apply(network);
    }
}
