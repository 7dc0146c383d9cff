package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nodes resolve each other by name, and the host by its alias, through a hosts file in their own mount
 * namespace: processes with getent, Java code on node threads with InetAddress, IPv4 and IPv6. The host's
 * /etc/hosts is never written.
 */
@RequiresPrivileges
class NamesTests {

    @Test
    @Timeout(60)
    void processesAndNodeThreadsResolveNodesAndTheHostByName() throws Exception {
        String hostsBefore = java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hosts"));
        try (Network network = Network.builder().subnet("10.218.131.0/24").nat(false).node("server", "client").build()) {
            Node server = network.node("server");
            Node client = network.node("client");

            assertThat(client.exec("getent", "ahostsv4", "server").stdout())
                    .startsWith(server.ipv4().getHostAddress() + " ");
            String v6 = client.exec("getent", "ahostsv6", "server").stdout();
            assertThat(InetAddress.getByName(v6.substring(0, v6.indexOf(' ')))).isEqualTo(server.ipv6());
            assertThat(client.exec("getent", "ahostsv4", "host.isonet.internal").stdout())
                    .startsWith(network.hostAddress().getHostAddress() + " ");
            assertThat(client.run(() -> InetAddress.getByName("server"))).isEqualTo(server.ipv4());
            assertThat(client.run(() -> InetAddress.getByAddress(server.ipv4().getAddress()).getHostName()))
                    .as("reverse lookups answer from the hosts file").isEqualTo("server");
            assertThat(client.run(() -> InetAddress.getLocalHost().getHostAddress()))
                    .as("the node's own name").isEqualTo(client.ipv4().getHostAddress());

            Node late = network.addNode("late");
            assertThat(client.exec("getent", "ahostsv4", "late").stdout())
                    .as("a node added later is resolvable in the others").startsWith(late.ipv4().getHostAddress() + " ");
            late.close();
            assertThat(client.exec("getent", "hosts", "late").exitCode()).as("and gone once closed").isEqualTo(2);
        }
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hosts"))).isEqualTo(hostsBefore);
    }

    @Test
    @Timeout(60)
    void aNodeThreadSeesTheNodesInterfacesOnly() throws Exception {
        try (Network network = Network.builder().nat(false).node("a").build()) {
            Node a = network.node("a");
            var seen = a.run(() -> java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                    .map(i -> i.getName() + java.util.Collections.list(i.getInetAddresses())).toList());
            assertThat(seen).hasSize(2);
            assertThat(seen).anySatisfy(i -> assertThat(i).startsWith("eth0").contains(a.ipv4().getHostAddress())
                    .contains(a.ipv6().getHostAddress().replaceAll("%.*", "")));
            assertThat(seen).anySatisfy(i -> assertThat(i).startsWith("lo"));
        }
    }
}
