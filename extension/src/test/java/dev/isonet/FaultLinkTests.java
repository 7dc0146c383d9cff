package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isonet.Reachability.Matrix;
import dev.isonet.internal.netlink.Rtnetlink;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Link faults: disconnect and reconnect of a node and of the outside, loss by direction and its replacement
 * rules, and how faults end with nodes and networks. Each test builds its own network from 10.219.0.0/16.
 */
@Timeout(120)
class FaultLinkTests {
    private static final String POOL = "10.219.0.0/16";
    private static final int PORT = 7301;

    private Network network;
    private Node a;
    private Node b;
    private Node c;

    @BeforeEach
    void build() {
        network = Network.builder().pool(POOL).node("a", "b", "c").build();
        a = network.node("a");
        b = network.node("b");
        c = network.node("c");
    }

    @AfterEach
    void close() {
        if (network != null) {
            network.close();
        }
    }

    /** The node's global addresses and its main-table routes (link-local ones come and go with DAD). */
    private static Set<String> addressesAndRoutes(Node node) throws Exception {
        return node.run(() -> {
            Set<String> seen = new TreeSet<>();
            try (Rtnetlink rt = Rtnetlink.open("test: " + node.name())) {
                for (Rtnetlink.Address address : rt.addrList()) {
                    if (!address.address().isLinkLocalAddress()) {
                        seen.add("address " + address);
                    }
                }
                for (Rtnetlink.Route route : rt.routeList()) {
                    if (route.table() == 254 && !route.destination().isLinkLocalAddress()) {
                        seen.add("route " + route);
                    }
                }
            }
            return seen;
        });
    }

    private static void connect(Node from, Node to) throws Exception {
        from.run(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(to.ipv4(), PORT), 2_000);
            }
            return null;
        });
    }

    @Test
    void aDisconnectedNodeCannotConnectAndReconnectRestoresItsAddressesAndRoutes() throws Exception {
        try (ServerSocket listener = b.run(() -> new ServerSocket(PORT))) {
            Set<String> before = addressesAndRoutes(a);
            assertThat(before).anyMatch(line -> line.contains(a.ipv6().getHostAddress()));

            Fault fault = a.disconnect();

            assertThat(fault).hasToString("node a disconnected");
            assertThat(network.faults()).containsExactly(fault);
            assertThatThrownBy(() -> connect(a, b)).isInstanceOf(IOException.class)
                    .hasMessageContaining("unreachable");
            assertThat(addressesAndRoutes(a)).as("the kernel flushed the IPv6 address and the routes")
                    .doesNotContainAnyElementsOf(before.stream().filter(l -> l.startsWith("route")).toList());

            a.reconnect();

            assertThat(fault.isActive()).isFalse();
            assertThat(addressesAndRoutes(a)).isEqualTo(before);
            connect(a, b);
        }
    }

    @Test
    void disconnectingTwiceGivesTheSameFaultAndReconnectingAConnectedLinkDoesNothing() {
        c.reconnect();
        Fault first = c.disconnect();

        assertThat(c.disconnect()).isSameAs(first);
        first.heal();
        first.heal();
        c.reconnect();
        assertThat(network.faults()).isEmpty();
    }

    @Test
    void everyAddressAndRouteComesBackAfterTheOutsideIsReconnected() throws Exception {
        try (Reachability reachability = new Reachability(network, network.nodes())) {
            Fault fault = network.outside().disconnect();

            assertThat(fault).hasToString("outside disconnected");
            assertThat(reachability.measure()).as("nodes reach each other, not the host").isEqualTo(Matrix.of(
                    reachability.expected((from, to) -> !from.equals("host") && !to.equals("host"))));

            network.outside().reconnect();

            assertThat(reachability.measure()).isEqualTo(Matrix.of(reachability.expected((from, to) -> true)));
        }
    }

    @Test
    void egressLossDropsWhatTheNodeSendsAndNothingItReceives() throws Exception {
        try (Reachability reachability = new Reachability(network, network.nodes())) {
            Fault fault = a.loss(100, Direction.EGRESS);

            assertThat(fault).hasToString("loss 100% egress on node a");
            assertThat(reachability.measure().udp4())
                    .isEqualTo(reachability.expected((from, to) -> !from.equals("a")));
            fault.heal();
            assertThat(reachability.measure().udp4()).isEqualTo(reachability.expected((from, to) -> true));
        }
    }

    @Test
    void ingressLossOnTheOutsideDropsWhatComesInAndNothingThatGoesOut() throws Exception {
        try (Reachability reachability = new Reachability(network, network.nodes())) {
            Fault fault = network.outside().loss(100, Direction.INGRESS);

            assertThat(fault).hasToString("loss 100% ingress on outside");
            assertThat(reachability.measure().udp6())
                    .isEqualTo(reachability.expected((from, to) -> !from.equals("host")));
            fault.heal();
            assertThat(reachability.measure().udp6()).isEqualTo(reachability.expected((from, to) -> true));
        }
    }

    @Test
    void aNewLossReplacesEveryActiveLossOnTheSameLinkWhoseDirectionOverlaps() {
        Fault both = a.loss(30);
        Fault egress = a.loss(12.5, Direction.EGRESS);
        Fault ingress = a.loss(20, Direction.INGRESS);
        Fault onB = b.loss(5);

        assertThat(both).hasToString("loss 30% both ways on node a");
        assertThat(egress).hasToString("loss 12.5% egress on node a");
        assertThat(both.isActive()).as("replaced by the egress loss").isFalse();
        assertThat(network.faults()).containsExactly(egress, ingress, onB);

        Fault again = a.loss(0.1);

        assertThat(network.faults()).containsExactly(onB, again);
        assertThat(again).hasToString("loss 0.1% both ways on node a");
        assertThat(egress.isActive()).isFalse();
        assertThat(ingress.isActive()).isFalse();
        egress.heal(); // inactive: nothing happens
        assertThat(network.faults()).containsExactly(onB, again);
    }

    @Test
    void faultsEndWithTheirNetwork() {
        Fault partition = network.partition(List.of(a), List.of(b));
        Fault disconnect = c.disconnect();

        network.close();

        assertThat(partition.isActive()).isFalse();
        assertThat(disconnect.isActive()).isFalse();
        assertThat(network.faults()).isEmpty();
        partition.heal();
        network.heal();
        assertThatThrownBy(() -> network.isolate(a)).isInstanceOf(IllegalStateException.class)
                .hasMessage("network " + network.subnet() + " is closed");
        assertThatThrownBy(() -> a.loss(10)).isInstanceOf(IllegalStateException.class)
                .hasMessage("network " + network.subnet() + " is closed");
    }

    @Test
    void faultsNamingANodeThatClosedCanStillBeHealed() {
        Fault disconnect = a.disconnect();
        Fault isolate = network.isolate(b);
        a.close();
        b.close();

        assertThatThrownBy(() -> a.loss(10)).isInstanceOf(NodeClosedException.class)
                .hasMessage("node 'a' is closed");
        disconnect.heal();
        network.heal();

        assertThat(isolate.isActive()).isFalse();
        assertThat(network.faults()).isEmpty();
    }
}
