package dev.isonet.internal.diagnostics;

import dev.isonet.internal.netlink.Rtnetlink;
import java.net.Inet6Address;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * One namespace's links, addresses, routes and neighbours, read through rtnetlink and written the way
 * {@code ip} shows them, for {@code topology.txt}.
 */
final class TopologyText {
    private TopologyText() {}

    /** The dump of the namespace {@code rt} was opened in; {@code portNote} adds a note to a link by index. */
    static String of(Rtnetlink rt, IntFunction<String> linkNote) {
        StringBuilder out = new StringBuilder();
        List<Rtnetlink.Link> links = rt.linkList();
        Map<Integer, String> names = new HashMap<>();
        for (Rtnetlink.Link link : links) {
            names.put(link.index(), link.name());
        }
        out.append("  links\n");
        for (Rtnetlink.Link link : links) {
            out.append("    ").append(link(link, names));
            String note = linkNote.apply(link.index());
            if (note != null) {
                out.append("  # ").append(note);
            }
            out.append('\n');
        }
        out.append("  addresses\n");
        for (Rtnetlink.Address address : rt.addrList()) {
            out.append("    ").append(names.getOrDefault(address.index(), "#" + address.index())).append(' ')
                    .append(AddressText.of(address.address())).append('/').append(address.prefixLength())
                    .append(scope(address.scope())).append('\n');
        }
        out.append("  routes (all tables but local)\n");
        for (Rtnetlink.Route route : rt.routeList()) {
            if (route.table() != Rtnetlink.RT_TABLE_LOCAL && !isMulticast(route)) {
                out.append("    ").append(route(route, names)).append('\n');
            }
        }
        out.append("  neighbours\n");
        List<Rtnetlink.Neighbour> neighbours = rt.neighList();
        if (neighbours.isEmpty()) {
            out.append("    (none)\n");
        }
        for (Rtnetlink.Neighbour neighbour : neighbours) {
            out.append("    ").append(neighbour.address() == null ? "?" : AddressText.of(neighbour.address()))
                    .append(" dev ").append(names.getOrDefault(neighbour.index(), "#" + neighbour.index()))
                    .append(neighbour.lladdr() == null ? "" : " lladdr " + mac(neighbour.lladdr())).append(' ')
                    .append(neighbour.stateName()).append('\n');
        }
        return out.toString();
    }

    /** As {@code ip link}: {@code 2: eth0 <UP,LOWER_UP> mtu 1500 state UP veth 02:0a:d5:00:00:02}. */
    static String link(Rtnetlink.Link link, Map<Integer, String> names) {
        StringBuilder flags = new StringBuilder();
        if (link.isUp()) {
            flags.append("UP");
        }
        if (link.isLowerUp()) {
            flags.append(flags.length() > 0 ? "," : "").append("LOWER_UP");
        }
        return link.index() + ": " + link.name() + " <" + flags + "> mtu " + link.mtu() + " state "
                + link.operStateName() + (link.kind() == null ? "" : " " + link.kind())
                + (link.master() == 0 ? "" : " master " + names.getOrDefault(link.master(), "#" + link.master()))
                + (link.mac() == null || link.mac().length != 6 || isZero(link.mac()) ? "" : " " + mac(link.mac()));
    }

    /** As {@code ip route}: {@code default via 10.213.0.1 dev eth0}. */
    static String route(Rtnetlink.Route route, Map<Integer, String> names) {
        String destination = route.prefixLength() == 0 ? "default"
                : AddressText.of(route.destination()) + "/" + route.prefixLength();
        return (route.destination() instanceof Inet6Address ? "ipv6 " : "") + destination
                + (route.gateway() == null ? "" : " via " + AddressText.of(route.gateway()))
                + (route.index() == 0 ? "" : " dev " + names.getOrDefault(route.index(), "#" + route.index()))
                + (route.table() == Rtnetlink.RT_TABLE_MAIN ? "" : " table " + route.table())
                + (route.type() == 1 ? "" : " type " + route.type());
    }

    private static boolean isMulticast(Rtnetlink.Route route) {
        return route.destination().isMulticastAddress();
    }

    private static String scope(int scope) {
        return switch (scope) {
            case 0 -> "";
            case 253 -> " scope link";
            case 254 -> " scope host";
            default -> " scope " + scope;
        };
    }

    private static boolean isZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    static String mac(byte[] mac) {
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }

    /** The addresses of one link of the host, and the routes through it. */
    static String hostLink(Rtnetlink rt, String name) {
        Rtnetlink.Link link = rt.link(name);
        if (link == null) {
            return "  (gone)\n";
        }
        Map<Integer, String> names = Map.of(link.index(), link.name());
        StringBuilder out = new StringBuilder("  ").append(link(link, names)).append('\n');
        for (Rtnetlink.Address address : rt.addrList()) {
            if (address.index() == link.index()) {
                out.append("  address ").append(AddressText.of(address.address())).append('/')
                        .append(address.prefixLength()).append(scope(address.scope())).append('\n');
            }
        }
        for (Rtnetlink.Route route : rt.routeList()) {
            if (route.index() == link.index() && route.table() != Rtnetlink.RT_TABLE_LOCAL && !isMulticast(route)) {
                out.append("  route ").append(route(route, names)).append('\n');
            }
        }
        return out.toString();
    }
}
