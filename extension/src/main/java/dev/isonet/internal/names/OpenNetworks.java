package dev.isonet.internal.names;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The networks open in this JVM, and which network namespace is which network's node: what Java-side name
 * lookups (the JDK 18+ resolver provider) consult. A lookup follows the calling thread:
 *
 * <ul>
 *   <li>a thread inside a node resolves the names of that node's network;
 *   <li>a thread in the JVM's own namespace resolves a name that exactly one open network has; a name that
 *       several have is an error that names them;
 *   <li>every other name, and every other thread, is left to the JDK's own resolver.
 * </ul>
 *
 * <p>It uses nothing native (it may be consulted by the JDK's first name lookup, on any thread).
 */
public final class OpenNetworks {
    private static final OpenNetworks JVM = new OpenNetworks(link(Path.of("/proc/self/ns/net")));
    private static final Path THREAD_NET = Path.of("/proc/thread-self/ns/net");

    private final String hostNet;
    private final Set<NetworkNames> networks = ConcurrentHashMap.newKeySet();
    private final Map<String, NetworkNames> nodes = new ConcurrentHashMap<>();

    /** A registry whose host namespace is {@code hostNet} ("net:[inode]"); for tests. */
    OpenNetworks(String hostNet) {
        this.hostNet = hostNet;
    }

    /** The JVM-wide registry. */
    public static OpenNetworks jvm() {
        return JVM;
    }

    /** What a lookup found: addresses, a refusal with its reason, or nothing (ask the JDK's resolver). */
    public sealed interface Answer permits Found, Refused, NotOurs {}

    /** The name's addresses, IPv4 first. */
    public record Found(List<InetAddress> addresses) implements Answer {}

    /** The name is Isonet's but cannot be answered on this thread; {@code reason} says why. */
    public record Refused(String reason) implements Answer {}

    /** Not a name Isonet answers here. */
    public record NotOurs() implements Answer {}

    public void opened(NetworkNames names) {
        networks.add(names);
    }

    public void closed(NetworkNames names) {
        networks.remove(names);
        nodes.values().removeIf(n -> n == names);
    }

    /** The node whose network namespace is {@code netIdentity} ("net:[inode]") is one of {@code names}' network. */
    public void nodeOpened(String netIdentity, NetworkNames names) {
        if (netIdentity != null) {
            nodes.put(netIdentity, names);
        }
    }

    public void nodeClosed(String netIdentity) {
        if (netIdentity != null) {
            nodes.remove(netIdentity);
        }
    }

    /** Whether any network is open: if not, nothing is Isonet's and lookups need not look at the thread. */
    public boolean isEmpty() {
        return networks.isEmpty() && nodes.isEmpty();
    }

    /** {@code name} as the calling thread should see it. */
    public Answer lookup(String name) {
        return isEmpty() ? new NotOurs() : lookup(link(THREAD_NET), name);
    }

    /** {@code name} as a thread in the network namespace {@code threadNet} should see it. */
    Answer lookup(String threadNet, String name) {
        NetworkNames own = threadNet == null ? null : nodes.get(threadNet);
        if (own != null) {
            List<InetAddress> found = own.lookup(name);
            return found.isEmpty() ? new NotOurs() : new Found(found);
        }
        if (threadNet == null || !threadNet.equals(hostNet) || name.equalsIgnoreCase(NetworkNames.HOST_ALIAS)) {
            return new NotOurs(); // the host alias means the host only to nodes
        }
        List<NetworkNames> having = new ArrayList<>();
        List<InetAddress> found = List.of();
        for (NetworkNames network : networks) {
            List<InetAddress> addresses = network.lookup(name);
            if (!addresses.isEmpty()) {
                having.add(network);
                found = addresses;
            }
        }
        if (having.size() == 1) {
            return new Found(found);
        }
        if (having.isEmpty()) {
            return new NotOurs();
        }
        List<String> subnets = having.stream().map(NetworkNames::subnet).sorted().toList();
        return new Refused("'" + name + "' is a node name in " + having.size() + " open networks (" + String.join(", ",
                subnets) + "), so a thread outside them cannot tell which one is meant: ask the network,"
                + " network.address(\"" + name + "\"), or resolve it on a thread inside a node (node.run)");
    }

    /** The name of the node at {@code address} as the calling thread should see it, or null: not Isonet's. */
    public String reverse(InetAddress address) {
        return isEmpty() ? null : reverse(link(THREAD_NET), address);
    }

    String reverse(String threadNet, InetAddress address) {
        NetworkNames own = threadNet == null ? null : nodes.get(threadNet);
        if (own != null) {
            return own.reverse(address);
        }
        if (threadNet == null || !threadNet.equals(hostNet)) {
            return null;
        }
        for (NetworkNames network : networks) {
            String name = network.reverse(address);
            if (name != null && !name.equals(NetworkNames.HOST_ALIAS)) {
                return name; // subnets of open networks never overlap: at most one has the address
            }
        }
        return null;
    }

    private static String link(Path path) {
        try {
            return Files.readSymbolicLink(path).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
