package dev.isonet;

import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A node to build, with options beyond its name: a fixed address, an MTU, extra names, and sysctls of its
 * network namespace. Every option is checked when it is set (naming the option and the value), so a bad one
 * fails before anything is created.
 *
 * <pre>{@code
 * Network.builder().subnet("10.30.0.0/24")
 *         .node(NodeSpec.named("zk1").address("10.30.0.11").aliases("zookeeper").sysctl("net.ipv4.tcp_keepalive_time", "30"))
 *         .build();
 * }</pre>
 */
public final class NodeSpec {
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?");
    private static final Pattern SYSCTL = Pattern.compile("net(\\.[a-zA-Z0-9_-]+)+");
    /** The smallest MTU IPv4 allows, and the largest a veth takes. */
    public static final int MIN_MTU = 68;
    public static final int MAX_MTU = 65535;

    private final String name;
    private Inet4Address address;
    private int mtu;
    private final List<String> aliases = new ArrayList<>();
    private final Map<String, String> sysctls = new LinkedHashMap<>();

    private NodeSpec(String name) {
        this.name = name;
    }

    /** A node named {@code name} (1 to 63 letters, digits or '-'; it is also its hostname). */
    public static NodeSpec named(String name) {
        Network.checkName(name);
        return new NodeSpec(name);
    }

    /**
     * A fixed IPv4 address, instead of the next free one. It must be a node address of the network's subnet (not
     * the gateway, .1, nor the last two, which are the router's and the host's), so the network needs a fixed
     * subnet; its IPv6 address takes the same host number.
     */
    public NodeSpec address(String ipv4) {
        this.address = parseAddress(ipv4);
        return this;
    }

    /** The MTU of the node's link (both ends of its veth), 68 to 65535; the kernel's default is 1500. */
    public NodeSpec mtu(int mtu) {
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw new IllegalArgumentException("mtu " + mtu + " must be " + MIN_MTU + " to " + MAX_MTU);
        }
        this.mtu = mtu;
        return this;
    }

    /** More names for the node: every node of the network resolves them too. Dotted names are fine. */
    public NodeSpec aliases(String... names) {
        for (String alias : names) {
            checkHostname(alias);
            if (alias.equalsIgnoreCase(name) || aliases.stream().anyMatch(alias::equalsIgnoreCase)) {
                throw new IllegalArgumentException("alias '" + alias + "' is given twice for node '" + name + "'");
            }
            aliases.add(alias);
        }
        return this;
    }

    /**
     * A sysctl of the node's network namespace, as {@code sysctl} names it ({@code net.ipv4.tcp_keepalive_time}),
     * set before the node is handed out. Only {@code net.*} sysctls are per namespace.
     */
    public NodeSpec sysctl(String key, String value) {
        if (key == null || !SYSCTL.matcher(key).matches()) {
            throw new IllegalArgumentException("sysctl '" + key + "' must be a net.* sysctl, such as"
                    + " net.ipv4.tcp_keepalive_time: only those belong to a node's network namespace");
        }
        if (value == null || value.isBlank() || value.contains("\n")) {
            throw new IllegalArgumentException("sysctl " + key + " needs a one-line value, not '" + value + "'");
        }
        if (!Files.exists(hostEquivalent(key))) {
            throw new IllegalArgumentException("sysctl '" + key + "' does not exist on this kernel (no "
                    + hostEquivalent(key) + ")");
        }
        sysctls.put(key, value.strip());
        return this;
    }

    /** The file of the key in /proc/sys, checked on the host, where the node's eth0 is the host's default. */
    private static Path hostEquivalent(String key) {
        String checked = key.replaceFirst("^net\\.(ipv4|ipv6)\\.(conf|neigh)\\.eth0\\.", "net.$1.$2.default.");
        return Path.of("/proc/sys", checked.replace('.', '/'));
    }

    static void checkHostname(String hostname) {
        if (hostname == null || hostname.length() > 253) {
            throw new IllegalArgumentException("alias '" + hostname + "' must be a host name of at most 253 characters");
        }
        for (String label : hostname.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("alias '" + hostname + "' must be a host name: dot-separated"
                        + " labels of 1 to 63 letters, digits or '-', not starting or ending with '-'");
            }
        }
    }

    private static Inet4Address parseAddress(String ipv4) {
        String[] parts = ipv4 == null ? new String[0] : ipv4.split("\\.", -1);
        byte[] raw = new byte[4];
        boolean ok = parts.length == 4;
        for (int i = 0; ok && i < 4; i++) {
            String part = parts[i];
            ok = part.matches("0|[1-9][0-9]{0,2}") && Integer.parseInt(part) <= 255;
            if (ok) {
                raw[i] = (byte) Integer.parseInt(part);
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("address '" + ipv4 + "' must be an IPv4 address a.b.c.d (decimal,"
                    + " no leading zeros)");
        }
        try {
            return (Inet4Address) java.net.InetAddress.getByAddress(raw);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public String name() {
        return name;
    }

    /** The fixed address, or null for the next free one. */
    public Inet4Address address() {
        return address;
    }

    /** The MTU, or 0 for the kernel's default. */
    public int mtu() {
        return mtu;
    }

    public List<String> aliases() {
        return List.copyOf(aliases);
    }

    public Map<String, String> sysctls() {
        return Map.copyOf(sysctls);
    }

    @Override
    public String toString() {
        return "NodeSpec " + name + (address == null ? "" : " " + address.getHostAddress())
                + (mtu == 0 ? "" : " mtu " + mtu) + (aliases.isEmpty() ? "" : " aliases " + aliases)
                + (sysctls.isEmpty() ? "" : " sysctls " + sysctls);
    }
}
