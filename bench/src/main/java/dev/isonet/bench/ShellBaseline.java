package dev.isonet.bench;

import dev.isonet.internal.netlink.Rtnetlink;
import dev.isonet.internal.topology.Subnet;
import java.util.ArrayList;
import java.util.List;

/**
 * The naive design: one {@code ip}, {@code sysctl} or {@code nft} process per step, about 25 for the router
 * and 13 per node. Unlike Isonet it gives nodes no UTS namespace, which only flatters it.
 */
final class ShellBaseline extends Baseline {
    ShellBaseline(String token, Subnet subnet, Rtnetlink host, boolean hostIpv6) {
        super(token, subnet, host, hostIpv6);
    }

    @Override
    public String name() {
        return "shell (1 proc/step)";
    }

    @Override
    List<Command> setup(BaselineTopology t) {
        String r = t.routerNs();
        String up = t.hostLink();
        List<Command> steps = new ArrayList<>();
        steps.add(Command.of("ip", "netns", "add", r));
        steps.add(Command.of("ip", "netns", "exec", r, "sysctl", "-qw", "net.ipv4.ip_forward=1"));
        steps.add(Command.of("ip", "netns", "exec", r, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1"));
        steps.add(ip(r, "link set lo up"));
        steps.add(ip(r, "link add br0 type bridge"));
        steps.add(ip(r, "link set br0 address " + t.mac(1)));
        steps.add(ip(r, "addr add " + t.gateway() + "/" + t.prefix() + " dev br0"));
        steps.add(ip(r, "addr add " + t.gateway6() + "/64 dev br0 nodad"));
        steps.add(ip(r, "link set br0 up"));
        steps.add(ip(null, "link add " + up + " type veth peer name uplink netns " + r));
        steps.add(ip(r, "addr add " + t.router() + "/32 dev uplink"));
        steps.add(ip(r, "addr add " + t.router6() + "/128 dev uplink nodad"));
        steps.add(ip(r, "link set uplink up"));
        steps.add(ip(r, "route add " + t.host() + "/32 dev uplink"));
        steps.add(ip(r, "-6 route add " + t.host6() + "/128 dev uplink"));
        steps.add(ip(r, "route add default via " + t.host() + " dev uplink"));
        steps.add(ip(r, "-6 route add default via " + t.host6() + " dev uplink"));
        steps.add(Command.of("ip", "netns", "exec", r, "nft", "add", "table", "inet", "isobench"));
        steps.add(Command.of("ip", "netns", "exec", r, "nft", "add", "chain", "inet", "isobench", "postrouting",
                "{ type nat hook postrouting priority 100 ; }"));
        steps.add(Command.of("ip", "netns", "exec", r, "nft", "add", "rule", "inet", "isobench", "postrouting",
                "oifname", "\"uplink\"", "masquerade"));
        steps.add(ip(null, "link set " + up + " up"));
        steps.add(ip(null, "addr add " + t.host() + "/32 dev " + up));
        steps.add(ip(null, "route add " + t.v4Net() + " via " + t.router() + " dev " + up + " onlink"));
        if (t.hostIpv6()) {
            steps.add(ip(null, "addr add " + t.host6() + "/128 dev " + up + " nodad"));
            steps.add(ip(null, "-6 route add " + t.v6Net() + " via " + t.router6() + " dev " + up + " onlink"));
        }
        steps.add(Command.of("sysctl", "-qw", "net.ipv4.conf." + up + ".forwarding=1"));
        for (int i = 0; i < t.nodes(); i++) {
            String n = t.nodeNs(i);
            String port = "p" + i;
            steps.add(Command.of("ip", "netns", "add", n));
            steps.add(ip(n, "link set lo up"));
            steps.add(ip(r, "link add " + port + " type veth peer name eth0 netns " + n));
            steps.add(ip(r, "link set " + port + " master br0"));
            steps.add(ip(r, "link set " + port + " up"));
            steps.add(ip(n, "link set eth0 address " + t.mac(i + 2)));
            steps.add(ip(n, "link set eth0 up"));
            steps.add(ip(n, "addr add " + t.nodeV4(i) + "/" + t.prefix() + " dev eth0"));
            steps.add(ip(n, "addr add " + t.nodeV6(i) + "/64 dev eth0 nodad"));
            steps.add(ip(n, "route add default via " + t.gateway() + " dev eth0"));
            steps.add(ip(n, "-6 route add default via " + t.gateway6() + " dev eth0"));
            steps.add(ip(n, "route add " + t.host() + "/32 via " + t.gateway() + " dev eth0"));
            steps.add(ip(n, "-6 route add " + t.host6() + "/128 via " + t.gateway6() + " dev eth0"));
        }
        return steps;
    }

    /** Nodes first, then the router, as Isonet closes them; the uplink goes with the router namespace. */
    @Override
    List<Command> teardown(BaselineTopology t) {
        List<Command> steps = new ArrayList<>();
        for (int i = t.nodes() - 1; i >= 0; i--) {
            steps.add(Command.of("ip", "netns", "del", t.nodeNs(i)));
        }
        steps.add(Command.of("ip", "netns", "del", t.routerNs()));
        return steps;
    }

    /** {@code ip [-n ns] words...}; a null namespace means the host. */
    private static Command ip(String namespace, String words) {
        List<String> argv = new ArrayList<>();
        argv.add("ip");
        if (namespace != null) {
            argv.add("-n");
            argv.add(namespace);
        }
        argv.addAll(List.of(words.split(" ")));
        return new Command(argv, null);
    }
}
