package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.internal.faults.FaultRules;
import dev.isonet.internal.netlink.Rtnetlink;
import dev.isonet.internal.topology.Router;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a router kept for the next network holds once its network closed, read from the router itself: no port
 * of that network up, no neighbour entry on the bridge, no connection tracking entry, empty fault tables.
 */
@RequiresPrivileges
@Timeout(60)
class RouterResetTests {
    private static final int BRIDGE = 2;

    @Test
    void aKeptRouterHoldsNoPortUpNoNeighbourNoTrackedConnectionAndNoFaultOfItsLastNetwork() throws Exception {
        Network network = Network.builder().pool("10.216.0.0/16").node("a", "b").build();
        Router router = network.router();
        Node a = network.node("a");
        // Traffic through the router both ways: the host to a, and a to the host.
        try (ServerSocket listener = a.run(() -> new ServerSocket(7500));
             ServerSocket onHost = new ServerSocket()) {
            onHost.bind(new InetSocketAddress(network.hostAddress(), 0));
            try (Socket in = new Socket(); Socket out = a.run(() -> new Socket(network.hostAddress(),
                    onHost.getLocalPort()))) {
                in.connect(new InetSocketAddress(a.ipv4(), 7500), 5_000);
                onHost.accept().close();
                listener.accept().close();
            }
        }
        network.partition(List.of(a), List.of(network.node("b")));
        network.node("b").loss(50);
        List<Router.Port> ports = List.of(a.port(), network.node("b").port());
        assertThat(router.conntrack().count()).as("tracked before").isPositive();
        assertThat(bridgeNeighbours(router)).as("neighbours before").isNotEmpty();
        assertThat(router.faults().current()).as("faults before").isNotEqualTo(FaultRules.EMPTY);
        assertThat(up(router, ports)).as("ports up before").containsOnly(true);

        network.close();
        network.reaped().get(10, TimeUnit.SECONDS);

        assertThat(network.hostLink()).as("still the router's").isEqualTo(router.hostLink());
        assertThat(router.conntrack().count()).as("tracked after").isZero();
        assertThat(bridgeNeighbours(router)).as("neighbours after").isEmpty();
        assertThat(router.faults().current()).as("faults after").isEqualTo(FaultRules.EMPTY);
        assertThat(up(router, ports)).as("ports up after (absent: the kernel reaped the node)").doesNotContain(true);
    }

    @Test
    void nodesMadeAheadForTheNextNetworkWaitBehindPortsThatAreDown() throws Exception {
        try (Network network = Network.builder().pool("10.216.0.0/16").node("a", "b").build()) {
            Router router = network.router();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (router.readyPorts().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<Router.Port> waiting = router.readyPorts();
            assertThat(waiting).as("made ahead while the network is open").hasSizeGreaterThanOrEqualTo(2);
            assertThat(up(router, waiting)).as("their ports").containsOnly(false);
            assertThat(up(router, List.of(network.node("a").port(), network.node("b").port()))).containsOnly(true);
            // Node a and the node made ahead for the same address: only a answers.
            try (ServerSocket listener = network.node("a").run(() -> new ServerSocket(7600))) {
                for (int i = 0; i < 5; i++) {
                    try (Socket socket = network.node("b").run(() -> new Socket(network.node("a").ipv4(), 7600))) {
                        listener.accept().close();
                    }
                }
            }
        }
    }

    private static List<String> bridgeNeighbours(Router router) {
        return router.rtnetlink().neighList().stream().filter(n -> n.index() == BRIDGE && n.address() != null)
                .map(n -> n.address().getHostAddress() + " " + n.stateName()).toList();
    }

    private static List<Boolean> up(Router router, List<Router.Port> ports) {
        return ports.stream().map(port -> {
            Rtnetlink.Link link = router.rtnetlink().link(port.name());
            return link != null && link.isUp();
        }).toList();
    }
}
