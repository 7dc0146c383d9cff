package dev.isonet;

import dev.isonet.internal.cgroups.Limits;
import dev.isonet.internal.cgroups.NodeCgroup;
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
 * network namespace; and, for its processes, a root filesystem and resource limits (a container). Every option is
 * checked when it is set (naming the option and the value), so a bad one fails before anything is created.
 *
 * <pre>{@code
 * Network.builder().subnet("10.30.0.0/24")
 *         .node(NodeSpec.named("zk1").address("10.30.0.11").aliases("zookeeper").sysctl("net.ipv4.tcp_keepalive_time", "30"))
 *         .node(NodeSpec.named("web").rootfs(Path.of("target/rootfs")).memoryLimit("64m").pidsLimit(100).cpus(0.5))
 *         .build();
 * }</pre>
 */
public final class NodeSpec {
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?");
    private static final Pattern SYSCTL = Pattern.compile("net(\\.[a-zA-Z0-9_-]+)+");
    /** The smallest MTU IPv4 allows, and the largest a veth takes. */
    public static final int MIN_MTU = 68;
    public static final int MAX_MTU = 65535;
    /** The smallest memory limit: a shell and its starter need about 2 MiB. */
    public static final long MIN_MEMORY_LIMIT = 4L << 20;
    public static final double MIN_CPUS = 0.01;
    public static final double MAX_CPUS = 1024;
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})\\s*([kmgt]?)(i?b)?");

    private final String name;
    private Inet4Address address;
    private int mtu;
    private final List<String> aliases = new ArrayList<>();
    private final Map<String, String> sysctls = new LinkedHashMap<>();
    private Path rootfs;
    private long memoryLimit;
    private int pidsLimit;
    private double cpus;

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

    /**
     * Runs the node's processes in a root filesystem made from {@code dir}, as a container does: an overlay whose
     * lower layer is {@code dir} (never written) and whose upper layer, a temporary directory of the node, takes
     * every change ({@link Node#rootfsChanges()}); with the node's own /proc (of its PID namespace), a minimal /dev,
     * /sys read-only, a tmpfs /tmp, and the network's hosts file and resolv.conf. Processes start in {@code /} unless
     * they ask for another directory, which is then a path inside the root. Java code run with {@link Node#run} is
     * not affected: it keeps the host's files. {@code dir} must be a directory, checked now; a relative path is
     * taken from the working directory.
     */
    public NodeSpec rootfs(Path dir) {
        if (dir == null) {
            throw new IllegalArgumentException("node '" + name + "': rootfs must be a directory, not null");
        }
        Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new IllegalArgumentException("node '" + name + "': rootfs " + absolute + " does not exist");
        }
        if (!Files.isDirectory(absolute)) {
            throw new IllegalArgumentException("node '" + name + "': rootfs " + absolute + " is not a directory");
        }
        this.rootfs = absolute;
        return this;
    }

    /**
     * The most memory the node's processes may use together (no swap), in bytes, at least
     * {@value #MIN_MEMORY_LIMIT}; past it the kernel's OOM killer kills one of them ({@link Node#oomKills()}).
     * Needs a cgroup memory controller (cgroup v2 enabled for this JVM's cgroup, or v1), checked now.
     */
    public NodeSpec memoryLimit(long bytes) {
        if (bytes < MIN_MEMORY_LIMIT) {
            throw new IllegalArgumentException("node '" + name + "': memory limit " + bytes + " bytes must be at least "
                    + MIN_MEMORY_LIMIT + " (4 MiB)");
        }
        requireController(new Limits(bytes, 0, 0));
        this.memoryLimit = bytes;
        return this;
    }

    /** {@link #memoryLimit(long)} written as a size: {@code "64m"}, {@code "1g"}, {@code "512k"}, plain bytes. */
    public NodeSpec memoryLimit(String size) {
        return memoryLimit(parseSize(size));
    }

    /**
     * The most processes (and threads) the node's processes may be together, at least 2; a fork past it fails
     * ({@link Node#forksRefused()}). Each started process counts twice: its starter (nsenter) waits for it in the
     * node's cgroup. Needs a cgroup pids controller, checked now.
     */
    public NodeSpec pidsLimit(int max) {
        if (max < 2) {
            throw new IllegalArgumentException("node '" + name + "': pids limit " + max + " must be at least 2: each"
                    + " started process and its starter count");
        }
        requireController(new Limits(0, max, 0));
        this.pidsLimit = max;
        return this;
    }

    /**
     * The CPU time the node's processes may use per wall-clock time, in CPUs: 0.5 is half of one CPU, 2 is two;
     * at least 0.01. Needs a cgroup cpu controller, checked now.
     */
    public NodeSpec cpus(double cpus) {
        if (!(cpus >= MIN_CPUS) || Double.isInfinite(cpus) || cpus > MAX_CPUS) {
            throw new IllegalArgumentException("node '" + name + "': cpus " + cpus + " must be " + MIN_CPUS + " to "
                    + MAX_CPUS);
        }
        requireController(new Limits(0, 0, cpus));
        this.cpus = cpus;
        return this;
    }

    private void requireController(Limits limits) {
        NodeCgroup.requireControllers("node '" + name + "'", limits);
    }

    /** Bytes from "64m", "1g", "512k", "1048576" (binary units; case and a trailing "b" or "ib" do not matter). */
    private long parseSize(String size) {
        java.util.regex.Matcher matcher = size == null ? null
                : SIZE.matcher(size.strip().toLowerCase(java.util.Locale.ROOT));
        if (matcher == null || !matcher.matches()) {
            throw new IllegalArgumentException("node '" + name + "': memory limit '" + size + "' must be a size such"
                    + " as 64m, 1g, 512k or a number of bytes");
        }
        int shift = switch (matcher.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        try {
            long value = Long.parseLong(matcher.group(1));
            if (value > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return value << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("node '" + name + "': memory limit '" + size + "' is too large");
        }
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

    /** The root filesystem's directory (absolute), or null: processes see the host's files. */
    public Path rootfs() {
        return rootfs;
    }

    /** The memory limit in bytes, or 0 for none. */
    public long memoryLimit() {
        return memoryLimit;
    }

    /** The pids limit, or 0 for none. */
    public int pidsLimit() {
        return pidsLimit;
    }

    /** The CPU limit in CPUs, or 0 for none. */
    public double cpus() {
        return cpus;
    }

    @Override
    public String toString() {
        return "NodeSpec " + name + (address == null ? "" : " " + address.getHostAddress())
                + (mtu == 0 ? "" : " mtu " + mtu) + (aliases.isEmpty() ? "" : " aliases " + aliases)
                + (sysctls.isEmpty() ? "" : " sysctls " + sysctls) + (rootfs == null ? "" : " rootfs " + rootfs)
                + (limits().any() ? " " + limits() : "");
    }

    Limits limits() {
        return new Limits(memoryLimit, pidsLimit, cpus);
    }
}
