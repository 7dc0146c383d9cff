package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.NetworkInterface;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Node options: checked when set, naming option and value; applied to the node when it is built. */
class NodeSpecTests {

    @Test
    void badOptionsFailWhenSetNamingOptionAndValue() {
        assertThatThrownBy(() -> NodeSpec.named("a").mtu(67)).hasMessage("mtu 67 must be 68 to 65535");
        assertThatThrownBy(() -> NodeSpec.named("a").mtu(70000)).hasMessage("mtu 70000 must be 68 to 65535");
        assertThatThrownBy(() -> NodeSpec.named("a").address("10.1.2.03"))
                .hasMessage("address '10.1.2.03' must be an IPv4 address a.b.c.d (decimal, no leading zeros)");
        assertThatThrownBy(() -> NodeSpec.named("a").aliases("bad_alias"))
                .hasMessageStartingWith("alias 'bad_alias' must be a host name");
        assertThatThrownBy(() -> NodeSpec.named("a").aliases("a"))
                .hasMessage("alias 'a' is given twice for node 'a'");
        assertThatThrownBy(() -> NodeSpec.named("a").sysctl("kernel.pid_max", "1000"))
                .hasMessageStartingWith("sysctl 'kernel.pid_max' must be a net.* sysctl");
        assertThatThrownBy(() -> NodeSpec.named("a").sysctl("net.ipv4.no_such_thing", "1"))
                .hasMessage("sysctl 'net.ipv4.no_such_thing' does not exist on this kernel (no"
                        + " /proc/sys/net/ipv4/no_such_thing)");
        assertThatThrownBy(() -> NodeSpec.named("a").sysctl("net.ipv4.tcp_keepalive_time", "1\n2"))
                .hasMessageStartingWith("sysctl net.ipv4.tcp_keepalive_time needs a one-line value");
    }

    @Test
    void nodesThatClashFailBeforeAnythingIsBuilt() {
        assertThatThrownBy(() -> Network.builder().node(NodeSpec.named("a").address("10.1.2.10")).build())
                .hasMessage("node 'a': address 10.1.2.10 needs a fixed subnet (subnet(...)); the pool's subnets are"
                        + " not known in advance");
        assertThatThrownBy(() -> Network.builder().subnet("10.1.2.0/24")
                .node(NodeSpec.named("a").address("10.1.3.10")).build())
                .hasMessage("node 'a': address 10.1.3.10 is outside the network's subnet 10.1.2.0/24");
        assertThatThrownBy(() -> Network.builder().subnet("10.1.2.0/24")
                .node(NodeSpec.named("a").address("10.1.2.1")).build())
                .hasMessageStartingWith("node 'a': address 10.1.2.1 is not a node address of 10.1.2.0/24");
        assertThatThrownBy(() -> Network.builder().subnet("10.1.2.0/24")
                .node(NodeSpec.named("a").address("10.1.2.253")).build())
                .hasMessageStartingWith("node 'a': address 10.1.2.253 is not a node address");
        assertThatThrownBy(() -> Network.builder().subnet("10.1.2.0/24")
                .node(NodeSpec.named("a").address("10.1.2.9"), NodeSpec.named("b").address("10.1.2.9")).build())
                .hasMessage("address 10.1.2.9 is given to two nodes");
        assertThatThrownBy(() -> Network.builder().node(NodeSpec.named("a").aliases("db"),
                NodeSpec.named("db")).build())
                .hasMessage("node name 'db' is given twice");
    }

    @Test
    @RequiresPrivileges
    @Timeout(60)
    void optionsAreAppliedToTheNode() throws Exception {
        try (Network network = Network.builder().subnet("10.218.130.0/24").nat(false)
                .node(NodeSpec.named("auto"))
                .node(NodeSpec.named("zk1").address("10.218.130.2").mtu(1400).aliases("zookeeper", "zk.cluster.local")
                        .sysctl("net.ipv4.tcp_keepalive_time", "42"))
                .build()) {
            Node zk1 = network.node("zk1");
            Node auto = network.node("auto");

            assertThat(zk1.ipv4().getHostAddress()).isEqualTo("10.218.130.2");
            assertThat(auto.ipv4().getHostAddress()).as("the next free one, not zk1's").isEqualTo("10.218.130.3");
            assertThat(zk1.run(() -> NetworkInterface.getByName("eth0").getMTU())).isEqualTo(1400);
            assertThat(zk1.exec("cat", "/proc/sys/net/ipv4/tcp_keepalive_time").stdout().strip()).isEqualTo("42");
            assertThat(auto.exec("cat", "/proc/sys/net/ipv4/tcp_keepalive_time").stdout().strip())
                    .as("another node keeps the default").isEqualTo("7200");
            assertThat(auto.exec("getent", "ahostsv4", "zookeeper").stdout()).startsWith("10.218.130.2 ");
            assertThat(auto.exec("getent", "ahostsv4", "zk.cluster.local").stdout()).startsWith("10.218.130.2 ");

            assertThatThrownBy(() -> network.addNode(NodeSpec.named("late").address("10.218.130.2")))
                    .hasMessage("node 'late': address 10.218.130.2 is taken in network 10.218.130.0/24");
            assertThatThrownBy(() -> network.addNode(NodeSpec.named("late").aliases("zookeeper")))
                    .hasMessage("node 'late': name 'zookeeper' is taken in network 10.218.130.0/24");
        }
    }
}
