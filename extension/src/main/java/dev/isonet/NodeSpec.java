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
import org.apiguardian.api.API;

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
 *
 * <p>The same options are the attributes of {@link dev.isonet.junit.Container @Container}. Checks that need the
 * network (an address in its subnet, names and addresses given twice) are made when the network is built, or by
 * {@link Network#addNode(NodeSpec)}. A spec is not thread-safe; {@link Network.Builder#node(NodeSpec...)} keeps
 * it, not a copy, until {@code build()}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class NodeSpec {
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?");
    private static final Pattern SYSCTL = Pattern.compile("net(\\.[a-zA-Z0-9_-]+)+");
    /** The smallest MTU {@link #mtu(int)} takes: the smallest IPv4 allows. */
    public static final int MIN_MTU = 68;
    /** The largest MTU {@link #mtu(int)} takes: the largest a veth takes. */
    public static final int MAX_MTU = 65535;
    /** The smallest memory limit, in bytes (4 MiB): a shell and its starter need about 2 MiB. */
    public static final long MIN_MEMORY_LIMIT = 4L << 20;
    /** The smallest CPU limit {@link #cpus(double)} takes: a hundredth of one CPU. */
    public static final double MIN_CPUS = 0.01;
    /** The largest CPU limit {@link #cpus(double)} takes. */
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

    /**
     * A node named {@code name}, with no other options yet. The name is also the node's hostname, and every
     * node of the network resolves it.
     *
     * @param name 1 to 63 letters, digits or '-', not starting or ending with '-'
     * @return a spec with no options set
     * @throws IllegalArgumentException if {@code name} is not such a name
     */
    public static NodeSpec named(String name) {
        Network.checkName(name);
        return new NodeSpec(name);
    }

    /**
     * A fixed IPv4 address, instead of the next free one. It must be a node address of the network's subnet (not
     * the gateway, .1, nor the last two, which are the router's and the host's), so the network needs a fixed
     * subnet; its IPv6 address takes the same host number. Only the form is checked now; the subnet, when the
     * network is built or the node added.
     *
     * @param ipv4 a dotted IPv4 address a.b.c.d (decimal, no leading zeros), such as {@code "10.30.0.11"}
     * @return this spec
     * @throws IllegalArgumentException if {@code ipv4} is not written so
     */
    public NodeSpec address(String ipv4) {
        this.address = parseAddress(ipv4);
        return this;
    }

    /**
     * The MTU of the node's link (both ends of its veth); the kernel's default is 1500.
     *
     * @param mtu {@value #MIN_MTU} to {@value #MAX_MTU}
     * @return this spec
     * @throws IllegalArgumentException if {@code mtu} is outside that range
     */
    public NodeSpec mtu(int mtu) {
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw new IllegalArgumentException("mtu " + mtu + " must be " + MIN_MTU + " to " + MAX_MTU);
        }
        this.mtu = mtu;
        return this;
    }

    /**
     * Adds names for the node: every node of the network resolves them too. Dotted names are fine, such as
     * {@code "db.internal"}. Whether another node of the network has the name is checked when the network is
     * built or the node added.
     *
     * @param names host names: dot-separated labels of 1 to 63 letters, digits or '-', not starting or ending
     *     with '-', at most 253 characters in all
     * @return this spec
     * @throws IllegalArgumentException if a name is not such a host name, or if it is the node's name or an
     *     alias already given, ignoring case
     */
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
     * set before the node is handed out. Only {@code net.*} sysctls are per namespace. Setting a key again
     * replaces its value. Keys of the node's {@code eth0} ({@code net.ipv4.conf.eth0.rp_filter}) are checked
     * against the host's {@code default} ones.
     *
     * @param key the sysctl's name, starting with {@code net.}
     * @param value its value on one line; surrounding whitespace is removed
     * @return this spec
     * @throws IllegalArgumentException if {@code key} is not a {@code net.*} name or does not exist on this
     *     kernel, or if {@code value} is null, blank, or spans lines
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
     *
     * @param dir the directory whose tree becomes {@code /} for the node's processes
     * @return this spec
     * @throws IllegalArgumentException if {@code dir} is null, does not exist, or is not a directory
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
     *
     * @param bytes the limit in bytes
     * @return this spec
     * @throws IllegalArgumentException if {@code bytes} is less than {@value #MIN_MEMORY_LIMIT}, or if this host
     *     cannot apply a memory limit (the message says why)
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

    /**
     * {@link #memoryLimit(long)} written as a size: {@code "64m"}, {@code "1g"}, {@code "512k"}, or plain bytes.
     * Units are binary (k is 1024); case, spaces before the unit and a trailing {@code b} or {@code ib}
     * ({@code "64MiB"}) do not matter.
     *
     * @param size a number of bytes with an optional unit k, m, g or t
     * @return this spec
     * @throws IllegalArgumentException if {@code size} is null, not such a size, or too large for a
     *     {@code long}; else as {@link #memoryLimit(long)}
     */
    public NodeSpec memoryLimit(String size) {
        return memoryLimit(parseSize(size));
    }

    /**
     * The most processes (and threads) the node's processes may be together, at least 2; a fork past it fails
     * ({@link Node#forksRefused()}). Each started process counts twice: its starter (nsenter) waits for it in the
     * node's cgroup. Needs a cgroup pids controller, checked now.
     *
     * @param max the most tasks, at least 2
     * @return this spec
     * @throws IllegalArgumentException if {@code max} is less than 2, or if this host cannot apply a pids limit
     *     (the message says why)
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
     * {@value #MIN_CPUS} to {@value #MAX_CPUS}. Needs a cgroup cpu controller, checked now.
     *
     * @param cpus the share, in CPUs
     * @return this spec
     * @throws IllegalArgumentException if {@code cpus} is outside that range or not a number, or if this host
     *     cannot apply a CPU limit (the message says why)
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

    /**
     * The node's name.
     *
     * @return the name given to {@link #named(String)}
     */
    public String name() {
        return name;
    }

    /**
     * The fixed address.
     *
     * @return the address, or null for the next free one
     */
    public Inet4Address address() {
        return address;
    }

    /**
     * The MTU of the node's link.
     *
     * @return the MTU, or 0 for the kernel's default
     */
    public int mtu() {
        return mtu;
    }

    /**
     * The node's other names.
     *
     * @return an unmodifiable copy, in the order given; empty if none
     */
    public List<String> aliases() {
        return List.copyOf(aliases);
    }

    /**
     * The sysctls to set in the node's network namespace.
     *
     * @return an unmodifiable copy of keys and values (in no particular order); empty if none
     */
    public Map<String, String> sysctls() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sysctls)); // in the order given
    }

    /**
     * The root filesystem's directory.
     *
     * @return the absolute, normalized directory, or null: processes see the host's files
     */
    public Path rootfs() {
        return rootfs;
    }

    /**
     * The memory limit.
     *
     * @return the limit in bytes, or 0 for none
     */
    public long memoryLimit() {
        return memoryLimit;
    }

    /**
     * The pids limit.
     *
     * @return the most processes and threads, or 0 for none
     */
    public int pidsLimit() {
        return pidsLimit;
    }

    /**
     * The CPU limit.
     *
     * @return the limit in CPUs, or 0 for none
     */
    public double cpus() {
        return cpus;
    }

    /**
     * The spec for messages, such as {@code NodeSpec zk1 10.30.0.11 aliases [zookeeper]}.
     *
     * @return the name and the options that are set
     */
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
