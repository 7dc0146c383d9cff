package dev.isonet.bench;

import dev.isonet.internal.netlink.Rtnetlink;
import dev.isonet.internal.topology.Subnet;
import java.util.ArrayList;
import java.util.List;

/**
 * The careful shell design: one {@code ip -batch} per namespace, one {@code nft -f}, two sysctl processes:
 * N + 5 processes to build, one to tear down. {@code ip -batch} takes no per-line {@code -n}, hence one
 * process per node namespace.
 */
final class BatchBaseline extends Baseline {
    BatchBaseline(String token, Subnet subnet, Rtnetlink host, boolean hostIpv6) {
        super(token, subnet, host, hostIpv6);
    }

    @Override
    public String name() {
        return "ip -batch + nft -f";
    }

    @Override
    List<Command> setup(BaselineTopology t) {
        String r = t.routerNs();
        String up = t.hostLink();
        List<Command> steps = new ArrayList<>();

        StringBuilder host = new StringBuilder();
        line(host, "netns add " + r);
        for (int i = 0; i < t.nodes(); i++) {
            line(host, "netns add " + t.nodeNs(i));
        }
        line(host, "link add " + up + " type veth peer name uplink netns " + r);
        line(host, "link set " + up + " up");
        line(host, "addr add " + t.host() + "/32 dev " + up);
        line(host, "route add " + t.v4Net() + " via " + t.router() + " dev " + up + " onlink");
        if (t.hostIpv6()) {
            line(host, "addr add " + t.host6() + "/128 dev " + up + " nodad");
            line(host, "route add " + t.v6Net() + " via " + t.router6() + " dev " + up + " onlink");
        }
        steps.add(Command.withInput(host.toString(), "ip", "-batch", "-"));
        steps.add(Command.of("sysctl", "-qw", "net.ipv4.conf." + up + ".forwarding=1"));
        steps.add(Command.of("ip", "netns", "exec", r, "sysctl", "-qw",
                "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1"));
        steps.add(Command.withInput("""
                table inet isobench {
                  chain postrouting {
                    type nat hook postrouting priority 100;
                    oifname "uplink" masquerade
                  }
                }
                """, "ip", "netns", "exec", r, "nft", "-f", "-"));

        StringBuilder router = new StringBuilder();
        line(router, "link set lo up");
        line(router, "link add br0 address " + t.mac(1) + " type bridge");
        line(router, "addr add " + t.gateway() + "/" + t.prefix() + " dev br0");
        line(router, "addr add " + t.gateway6() + "/64 dev br0 nodad");
        line(router, "link set br0 up");
        line(router, "addr add " + t.router() + "/32 dev uplink");
        line(router, "addr add " + t.router6() + "/128 dev uplink nodad");
        line(router, "link set uplink up");
        line(router, "route add " + t.host() + "/32 dev uplink");
        line(router, "route add " + t.host6() + "/128 dev uplink");
        // 0.0.0.0/0 and ::/0 rather than "default": a batch line takes no -6 to pick the family.
        line(router, "route add 0.0.0.0/0 via " + t.host() + " dev uplink");
        line(router, "route add ::/0 via " + t.host6() + " dev uplink");
        for (int i = 0; i < t.nodes(); i++) {
            line(router, "link add p" + i + " master br0 up type veth peer name eth0 address " + t.mac(i + 2)
                    + " netns " + t.nodeNs(i));
        }
        steps.add(Command.withInput(router.toString(), "ip", "-n", r, "-batch", "-"));

        for (int i = 0; i < t.nodes(); i++) {
            StringBuilder node = new StringBuilder();
            line(node, "link set lo up");
            line(node, "link set eth0 up");
            line(node, "addr add " + t.nodeV4(i) + "/" + t.prefix() + " dev eth0");
            line(node, "addr add " + t.nodeV6(i) + "/64 dev eth0 nodad");
            line(node, "route add 0.0.0.0/0 via " + t.gateway() + " dev eth0");
            line(node, "route add ::/0 via " + t.gateway6() + " dev eth0");
            line(node, "route add " + t.host() + "/32 via " + t.gateway() + " dev eth0");
            line(node, "route add " + t.host6() + "/128 via " + t.gateway6() + " dev eth0");
            steps.add(Command.withInput(node.toString(), "ip", "-n", t.nodeNs(i), "-batch", "-"));
        }
        return steps;
    }

    @Override
    List<Command> teardown(BaselineTopology t) {
        StringBuilder script = new StringBuilder();
        for (int i = t.nodes() - 1; i >= 0; i--) {
            line(script, "netns del " + t.nodeNs(i));
        }
        line(script, "netns del " + t.routerNs());
        return List.of(Command.withInput(script.toString(), "ip", "-batch", "-"));
    }

    private static void line(StringBuilder script, String line) {
        script.append(line).append('\n');
    }
}
