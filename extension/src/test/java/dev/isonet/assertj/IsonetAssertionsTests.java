package dev.isonet.assertj;

import static dev.isonet.assertj.IsonetAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isonet.ExternalHost;
import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.RequiresPrivileges;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each assertion passing and failing, with the failure's message checked whole: nodes a, b and c on a fixed
 * subnet, with a TCP server on b, and faults made by each test and healed after it.
 */
@RequiresPrivileges
@Timeout(60)
class IsonetAssertionsTests {
    private static final String NET = "10.217.230";
    private static final Duration SHORT = Duration.ofMillis(300);
    private static Network network;
    private static Node a;
    private static Node b;
    private static Node c;
    private static ServerSocket server;

    @BeforeAll
    static void build() throws Exception {
        network = Network.builder().subnet(NET + ".0/24").node("a", "b", "c").build();
        a = network.node("a");
        b = network.node("b");
        c = network.node("c");
        server = b.run(() -> new ServerSocket(7000));
        b.executor().submit(() -> { // accepts and closes, until the socket is closed
            while (true) {
                server.accept().close();
            }
        });
    }

    @AfterAll
    static void close() throws Exception {
        server.close();
        network.close();
    }

    @AfterEach
    void heal() {
        network.heal();
    }

    @Test
    void canReachOnATcpPortPassesWhenAServerListens() {
        assertThat(a).canReach(b).onTcpPort(7000).canReach(b.ipv6()).onTcpPort(7000);
    }

    @Test
    void canReachOnATcpPortFailsSayingRefusedWhenNothingListens() {
        assertThatThrownBy(() -> assertThat(a).canReach(b).within(SHORT).onTcpPort(7001)).hasMessage(
                "Expecting node 'a' (" + NET + ".2) to reach node 'b' (" + NET + ".3) on TCP port 7001 within 300 ms,"
                        + " but it did not: refused.\nFaults active on network " + NET + ".0/24: none");
    }

    @Test
    void canReachFailsSayingTimedOutAndNamingThePartition() {
        network.partition(List.of(a), List.of(b));

        assertThatThrownBy(() -> assertThat(a).canReach(b).within(SHORT).onTcpPort(7000)).hasMessage(
                "Expecting node 'a' (" + NET + ".2) to reach node 'b' (" + NET + ".3) on TCP port 7000 within 300 ms,"
                        + " but it did not: timed out.\nFaults active on network " + NET + ".0/24: partition [a] | [b]");
    }

    @Test
    void canReachFailsSayingUnreachableWhenTheNodeIsDisconnected() {
        a.disconnect();

        assertThatThrownBy(() -> assertThat(a).canReach(b).within(SHORT).onTcpPort(7000)).hasMessage(
                "Expecting node 'a' (" + NET + ".2) to reach node 'b' (" + NET + ".3) on TCP port 7000 within 300 ms,"
                        + " but it did not: unreachable (Network is unreachable).\nFaults active on network " + NET
                        + ".0/24: node a disconnected");
    }

    @Test
    void cannotReachPassesUnderAPartitionAndFailsWhenItConnects() {
        assertThat(a).canReach(b).onTcpPort(7000); // once the neighbours are known, no first attempt is lost
        assertThatThrownBy(() -> assertThat(a).cannotReach(b).onTcpPort(7000)).hasMessage(
                "Expecting node 'a' (" + NET + ".2) not to reach node 'b' (" + NET + ".3) on TCP port 7000 within 2 s,"
                        + " but it did: connected.\nFaults active on network " + NET + ".0/24: none");

        network.partition(List.of(a), List.of(b));
        assertThat(a).cannotReach(b).within(SHORT).onTcpPort(7000).canReach(c).viaIcmp();
    }

    @Test
    void onAUdpPortTheAssertionEchoesOnTheTarget() {
        assertThat(a).canReach(b).onUdpPort(9000).canReach(network.outside()).onUdpPort(9001);

        assertThatThrownBy(() -> assertThat(a).cannotReach(b).within(SHORT).onUdpPort(9000)).hasMessage(
                "Expecting node 'a' (" + NET + ".2) not to reach node 'b' (" + NET + ".3) on UDP port 9000 within"
                        + " 300 ms, but it did: the echo answered.\nFaults active on network " + NET + ".0/24: none");
        network.block(a, b);
        assertThat(a).cannotReach(b).within(SHORT).onUdpPort(9000);
        assertThatThrownBy(() -> assertThat(a).canReach(b).within(SHORT).onUdpPort(9000)).hasMessage(
                "Expecting node 'a' (" + NET + ".2) to reach node 'b' (" + NET + ".3) on UDP port 9000 within 300 ms,"
                        + " but it did not: timed out.\nFaults active on network " + NET + ".0/24: block a -> b");
    }

    @Test
    void viaIcmpSendsRealEchoRequests() {
        assertThat(a).canReach(b).viaIcmp().canReach(network.gateway()).viaIcmp()
                .canReach(network.outside()).viaIcmp();
        assertThatThrownBy(() -> assertThat(a).cannotReach(b).within(SHORT).viaIcmp()).hasMessage(
                "Expecting node 'a' (" + NET + ".2) not to reach node 'b' (" + NET + ".3) via ICMP within 300 ms,"
                        + " but it did: an echo reply came.\nFaults active on network " + NET + ".0/24: none");

        network.isolate(b);
        assertThatThrownBy(() -> assertThat(a).canReach(b).within(SHORT).viaIcmp()).hasMessage(
                "Expecting node 'a' (" + NET + ".2) to reach node 'b' (" + NET + ".3) via ICMP within 300 ms,"
                        + " but it did not: timed out.\nFaults active on network " + NET + ".0/24: isolate b");
        assertThat(a).cannotReach(b).within(SHORT).viaIcmp();
    }

    @Test
    void theOutsideIsTheHostAtTheNetworksHostAddress() {
        network.block(a, network.outside());

        assertThatThrownBy(() -> assertThat(a).canReach(network.outside()).within(SHORT).viaIcmp()).hasMessage(
                "Expecting node 'a' (" + NET + ".2) to reach outside (the host, " + NET + ".254) via ICMP within"
                        + " 300 ms, but it did not: timed out.\nFaults active on network " + NET + ".0/24: block a ->"
                        + " outside");
        assertThat(b).canReach(network.outside()).viaIcmp();
    }

    @Test
    void anExternalHostIsReachedThroughTheNat() throws Exception {
        try (ExternalHost upstream = ExternalHost.create("upstream", "198.51.100.201/29");
             ServerSocket listener = upstream.run(() -> new ServerSocket(8000))) {
            assertThat(a).canReach(upstream).onTcpPort(8000).canReach(upstream).onUdpPort(8001);

            network.block(a, upstream);
            assertThatThrownBy(() -> assertThat(a).canReach(upstream).within(SHORT).onUdpPort(8001)).hasMessage(
                    "Expecting node 'a' (" + NET + ".2) to reach external host 'upstream' (198.51.100.201) on UDP port"
                            + " 8001 within 300 ms, but it did not: timed out.\nFaults active on network " + NET
                            + ".0/24: block a -> upstream");
        }
    }

    @Test
    void isListeningOnReadsTheNodesSockets() {
        assertThat(b).isListeningOn(7000);

        assertThatThrownBy(() -> assertThat(c).isListeningOn(7000)).hasMessage(
                "Expecting node 'c' (" + NET + ".4) to listen on TCP port 7000 or be bound to UDP port 7000, but it"
                        + " was not: TCP listening on no port, UDP bound to no port");
        assertThatThrownBy(() -> assertThat(b).isListeningOn(7001)).hasMessage(
                "Expecting node 'b' (" + NET + ".3) to listen on TCP port 7001 or be bound to UDP port 7001, but it"
                        + " was not: TCP listening on [7000], UDP bound to no port");
    }

    @Test
    void aNetworksReachabilityMatrixPassesAndFailsAsATable() {
        assertThat(network).isFullyConnected().onUdpPort(9100).isFullyConnected();

        network.partition(List.of(a, b), List.of(c));
        assertThat(network).viaIcmp().within(SHORT).isPartitionedAs(List.of(a, b), List.of(c))
                .hasReachability((from, to) -> from != c && to != c);
        assertThatThrownBy(() -> assertThat(network).within(SHORT).isFullyConnected()).hasMessage(
                "Expecting the nodes of network " + NET + ".0/24 to be fully connected via ICMP within 300 ms, but 4 of"
                        + " 6 pairs differ (marked *):\n"
                        + "from \\ to  a      b      c\n"
                        + "a          -      yes    no*\n"
                        + "b          yes    -      no*\n"
                        + "c          no*    no*    -\n"
                        + "a -> c: expected to reach, but it did not: timed out\n"
                        + "b -> c: expected to reach, but it did not: timed out\n"
                        + "c -> a: expected to reach, but it did not: timed out\n"
                        + "c -> b: expected to reach, but it did not: timed out\n"
                        + "Faults active on network " + NET + ".0/24: partition [a, b] | [c]");
    }
}
