package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.Security;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A name resolves to its own network's node: by network.address on any JDK; on node threads through the hosts
 * file (JDK 17) or the resolver provider (JDK 18+); on host threads only through the provider, and only where
 * one open network has the name. The JVM's name cache is off, so two networks in a row (or at once) with the
 * same node name never see each other's address.
 */
@RequiresPrivileges
@Timeout(60)
class NameResolutionTests {
    private static final boolean PROVIDER = Runtime.version().feature() >= 18;

    @Test
    void theJvmsNameCacheIsOff() {
        assertThat(Security.getProperty("networkaddress.cache.ttl")).isEqualTo("0");
        assertThat(Security.getProperty("networkaddress.cache.negative.ttl")).isEqualTo("0");
    }

    @Test
    void networkAddressGivesTheNodesAddressesCarryingTheNameAndNamesWhatExistsOtherwise() throws Exception {
        try (Network network = Network.builder().nat(false)
                .node(NodeSpec.named("server").aliases("api")).node("client").build()) {
            Node server = network.node("server");

            InetAddress address = network.address("server");
            assertThat(address).isEqualTo(server.ipv4());
            assertThat(address.getHostName()).isEqualTo("server");
            assertThat(network.addresses("api")).containsExactly(server.ipv4(), server.ipv6());
            assertThat(network.address("host.isonet.internal")).isEqualTo(network.hostAddress());
            assertThatThrownBy(() -> network.address("sevrer")).isInstanceOf(UnknownHostException.class)
                    .hasMessage("network " + network.subnet() + " has no node or alias 'sevrer'; it has [server, api,"
                            + " client, host.isonet.internal]");
        }
    }

    @Test
    void twoNetworksInARowWithTheSameNodeNameResolveToTheirOwnNode() throws Exception {
        for (String subnet : List.of("10.218.150.0/24", "10.218.151.0/24")) {
            try (Network network = Network.builder().subnet(subnet).nat(false).node("other", "server").build()) {
                Node server = network.node("server");
                assertThat(network.node("other").run(() -> InetAddress.getByName("server"))).isEqualTo(server.ipv4());
                assertThat(network.node("other").exec("getent", "ahostsv4", "server").stdout())
                        .startsWith(server.ipv4().getHostAddress() + " ");
                if (PROVIDER) {
                    assertThat(InetAddress.getByName("server")).as("a host thread, through the provider")
                            .isEqualTo(server.ipv4());
                    assertThat(InetAddress.getAllByName("server")).containsExactly(server.ipv4(), server.ipv6());
                    assertThat(InetAddress.getByAddress(server.ipv4().getAddress()).getHostName()).isEqualTo("server");
                } else {
                    assertThatThrownBy(() -> InetAddress.getByName("server"))
                            .as("JDK 17: host threads use the host's resolver").isInstanceOf(UnknownHostException.class);
                }
            }
        }
    }

    @Test
    void twoNetworksAtOnceWithTheSameNodeNameResolveToTheirOwnNodeInsideAndAreAmbiguousOutside() throws Exception {
        try (Network left = Network.builder().subnet("10.218.152.0/24").nat(false).node("db", "app").build();
             Network right = Network.builder().subnet("10.218.153.0/24").nat(false).node("db", "app").build()) {
            CompletableFuture<InetAddress> fromLeft = CompletableFuture.supplyAsync(() -> resolve(left.node("app"), "db"));
            CompletableFuture<InetAddress> fromRight = CompletableFuture.supplyAsync(() -> resolve(right.node("app"), "db"));

            assertThat(fromLeft.get()).isEqualTo(left.node("db").ipv4());
            assertThat(fromRight.get()).isEqualTo(right.node("db").ipv4());
            if (PROVIDER) {
                assertThatThrownBy(() -> InetAddress.getByName("db")).isInstanceOf(UnknownHostException.class)
                        .hasMessage("'db' is a node name in 2 open networks (10.218.152.0/24, 10.218.153.0/24), so a"
                                + " thread outside them cannot tell which one is meant: ask the network,"
                                + " network.address(\"db\"), or resolve it on a thread inside a node (node.run)");
            }
            assertThat(left.address("db")).isEqualTo(left.node("db").ipv4());
            assertThat(right.address("db")).isEqualTo(right.node("db").ipv4());
        }
    }

    @Test
    void aNodeThreadReadsItsOwnHostnameFromProcSysWhatGetLocalHostCachesForFiveSecondsJvmWide() throws Exception {
        try (Network network = Network.builder().nat(false).node("first", "second").build()) {
            String hostname = network.node("second").run(() ->
                    java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip());
            assertThat(hostname).isEqualTo("second");
            assertThat(network.node("second").run(() -> InetAddress.getByName(hostname)))
                    .isEqualTo(network.node("second").ipv4());
        }
    }

    private static InetAddress resolve(Node node, String name) {
        try {
            InetAddress last = null;
            for (int i = 0; i < 50; i++) { // interleaved with the other network's lookups
                last = node.run(() -> InetAddress.getByName(name));
            }
            return last;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
