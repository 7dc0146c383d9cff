package dev.isonet.internal.names;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which thread resolves which node name: the registry's rules, without any namespace. */
class OpenNetworksTests {
    private static final String HOST = "net:[4026531840]";
    private static final String NODE_A = "net:[1001]";
    private static final String NODE_B = "net:[2001]";
    private static final String ROUTER = "net:[3001]";

    private static NetworkNames network(String subnet, String prefix, String... nodes) throws Exception {
        NetworkNames names = new NetworkNames(subnet, v4(prefix + ".254"), v6("fd00:" + prefix.replace('.', ':') + "::fe"));
        int host = 2;
        for (String node : nodes) {
            names.put(node, node.equals("db") ? List.of("postgres") : List.of(), v4(prefix + "." + host),
                    v6("fd00:" + prefix.replace('.', ':') + "::" + host));
            host++;
        }
        return names;
    }

    private static Inet4Address v4(String address) throws Exception {
        return (Inet4Address) InetAddress.getByName(address);
    }

    private static Inet6Address v6(String address) throws Exception {
        return (Inet6Address) InetAddress.getByName(address);
    }

    @Test
    void aNodeThreadResolvesItsOwnNetworksNamesAndLeavesTheRestToTheJdk() throws Exception {
        OpenNetworks registry = new OpenNetworks(HOST);
        NetworkNames a = network("10.1.1.0/24", "10.1.1", "server", "db");
        NetworkNames b = network("10.1.2.0/24", "10.1.2", "server");
        registry.opened(a);
        registry.opened(b);
        registry.nodeOpened(NODE_A, a);
        registry.nodeOpened(NODE_B, b);

        assertThat(registry.lookup(NODE_A, "server")).isEqualTo(new OpenNetworks.Found(List.of(v4("10.1.1.2"),
                v6("fd00:10:1:1::2"))));
        assertThat(registry.lookup(NODE_B, "SERVER.")).isEqualTo(new OpenNetworks.Found(List.of(v4("10.1.2.2"),
                v6("fd00:10:1:2::2"))));
        assertThat(registry.lookup(NODE_A, "postgres")).isEqualTo(new OpenNetworks.Found(List.of(v4("10.1.1.3"),
                v6("fd00:10:1:1::3"))));
        assertThat(registry.lookup(NODE_B, "postgres")).as("another network's alias").isEqualTo(new OpenNetworks.NotOurs());
        assertThat(registry.lookup(NODE_A, NetworkNames.HOST_ALIAS)).isEqualTo(new OpenNetworks.Found(List.of(
                v4("10.1.1.254"), v6("fd00:10:1:1::fe"))));
        assertThat(registry.lookup(NODE_A, "example.org")).isEqualTo(new OpenNetworks.NotOurs());
        assertThat(registry.reverse(NODE_B, v4("10.1.2.2"))).isEqualTo("server");
        assertThat(registry.reverse(NODE_B, v4("10.1.1.2"))).isNull();
    }

    @Test
    void aHostThreadResolvesANameThatExactlyOneOpenNetworkHasAndIsToldWhyOtherwise() throws Exception {
        OpenNetworks registry = new OpenNetworks(HOST);
        NetworkNames a = network("10.1.1.0/24", "10.1.1", "server", "db");
        NetworkNames b = network("10.1.2.0/24", "10.1.2", "server");
        registry.opened(a);
        registry.opened(b);

        assertThat(registry.lookup(HOST, "db")).isEqualTo(new OpenNetworks.Found(List.of(v4("10.1.1.3"),
                v6("fd00:10:1:1::3"))));
        assertThat(registry.lookup(HOST, "server")).isEqualTo(new OpenNetworks.Refused("'server' is a node name in 2"
                + " open networks (10.1.1.0/24, 10.1.2.0/24), so a thread outside them cannot tell which one is meant:"
                + " ask the network, network.address(\"server\"), or resolve it on a thread inside a node (node.run)"));
        assertThat(registry.lookup(HOST, NetworkNames.HOST_ALIAS)).isEqualTo(new OpenNetworks.NotOurs());
        assertThat(registry.lookup(HOST, "localhost")).isEqualTo(new OpenNetworks.NotOurs());
        assertThat(registry.lookup(ROUTER, "db")).as("neither a node nor the host").isEqualTo(new OpenNetworks.NotOurs());
        assertThat(registry.reverse(HOST, v4("10.1.2.2"))).isEqualTo("server");

        registry.closed(b);
        assertThat(registry.lookup(HOST, "server")).isEqualTo(new OpenNetworks.Found(List.of(v4("10.1.1.2"),
                v6("fd00:10:1:1::2"))));
        registry.closed(a);
        assertThat(registry.isEmpty()).isTrue();
        assertThat(registry.lookup(HOST, "server")).isEqualTo(new OpenNetworks.NotOurs());
    }
}
