package dev.isonet.bench;

import dev.isonet.internal.netlink.Rtnetlink;
import dev.isonet.internal.topology.Subnet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Names and addresses of one baseline network, the same topology Isonet builds. Every name on the host
 * carries this JVM's token (its pid in base 36), so nothing else can clash with it, and a leftover is
 * recognised as ours.
 */
record BaselineTopology(String token, Subnet subnet, int nodes, boolean hostIpv6) {
    static final String NS_PREFIX = "isobench-";
    static final Path NETNS_DIR = Path.of("/run/netns");
    /** Baseline subnets are /24s of this pool, beside Isonet's default pool 10.213.0.0/16. */
    static final Subnet POOL = Subnet.parse("10.214.0.0/16");

    static String pidToken() {
        return Long.toString(ProcessHandle.current().pid(), 36);
    }

    String routerNs() {
        return NS_PREFIX + token + "-r";
    }

    String nodeNs(int i) {
        return NS_PREFIX + token + "-n" + i;
    }

    /** At most 2 + 7 + 2 = 11 bytes: a pid in base 36 has at most 7 digits; IFNAMSIZ allows 15. */
    String hostLink() {
        return hostLink(token);
    }

    static String hostLink(String token) {
        return "ib" + token + "up";
    }

    /** The host end of the setup breakdown's probe uplink. */
    static String probeLink(String token) {
        return "ib" + token + "pb";
    }

    String gateway() {
        return v4(1);
    }

    String gateway6() {
        return v6(1);
    }

    /** The router's end of the uplink, as in Isonet: the host number before the last. */
    String router() {
        return v4(subnet.lastHost() - 1);
    }

    String router6() {
        return v6(subnet.lastHost() - 1);
    }

    String host() {
        return v4(subnet.lastHost());
    }

    String host6() {
        return v6(subnet.lastHost());
    }

    /** Node i gets host number i + 2, as Isonet's first free ones. */
    String nodeV4(int i) {
        return v4(i + 2);
    }

    String nodeV6(int i) {
        return v6(i + 2);
    }

    String v4(int host) {
        return subnet.ipv4(host).getHostAddress();
    }

    String v6(int host) {
        return subnet.ipv6(host).getHostAddress();
    }

    String v4Net() {
        return subnet.toString();
    }

    String v6Net() {
        return subnet.ipv6Prefix().getHostAddress() + "/64";
    }

    int prefix() {
        return subnet.prefixLength();
    }

    String mac(int host) {
        byte[] mac = subnet.mac(host);
        StringBuilder text = new StringBuilder();
        for (byte b : mac) {
            text.append(text.length() == 0 ? "" : ":").append(String.format("%02x", b & 0xff));
        }
        return text.toString();
    }

    /**
     * The first /24 of {@link #POOL}, from a pid-derived start, that overlaps none of the host's routes and
     * addresses (IPv4 and the derived IPv6 /64); read now, not assumed.
     */
    static Subnet pickSubnet(Rtnetlink host) {
        int start = (int) (ProcessHandle.current().pid() % 256);
        for (int i = 0; i < 256; i++) {
            Subnet candidate = new Subnet(POOL.base() + ((start + i) % 256) * 256, 24);
            if (conflict(candidate, host) == null) {
                return candidate;
            }
        }
        throw new IllegalStateException("every /24 of " + POOL + " overlaps a route or address of this host");
    }

    /** What on the host overlaps {@code subnet}, or null. */
    static String conflict(Subnet subnet, Rtnetlink host) {
        for (Rtnetlink.Route route : host.routeList()) {
            if (route.prefixLength() > 0 && subnet.overlaps(route.destination(), route.prefixLength())) {
                return "route " + route.destination().getHostAddress() + "/" + route.prefixLength();
            }
        }
        for (Rtnetlink.Address address : host.addrList()) {
            if (subnet.overlaps(address.address(), address.address().getAddress().length * 8)) {
                return "address " + address.address().getHostAddress();
            }
        }
        return null;
    }

    /** Namespaces of this token still under /run/netns. */
    static List<String> namespaces(String token) {
        if (!Files.isDirectory(NETNS_DIR)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(NETNS_DIR)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith(NS_PREFIX + token + "-"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Deletes what a baseline or probe with this token left behind: its namespaces (which takes the nft table
     * and the links inside with them), then its host links if they are still there. Returns what it removed.
     * Synchronized: the shutdown hook and a failing round may both clean up.
     */
    static synchronized List<String> removeLeftovers(String token) {
        List<String> removed = new ArrayList<>();
        for (String ns : namespaces(token)) {
            if (quietly(Command.of("ip", "netns", "del", ns))) {
                removed.add("netns " + ns);
            }
        }
        for (String link : List.of(hostLink(token), probeLink(token))) {
            if (Files.exists(Path.of("/sys/class/net", link)) && quietly(Command.of("ip", "link", "del", link))) {
                removed.add("link " + link);
            }
        }
        return removed;
    }

    private static boolean quietly(Command command) {
        try {
            command.runForCleanup();
            return true;
        } catch (IOException e) {
            System.err.println("isonet bench: cleanup: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
