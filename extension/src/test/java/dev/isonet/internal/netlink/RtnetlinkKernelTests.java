package dev.isonet.internal.netlink;

import dev.isonet.RequiresPrivileges;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Root: the link, address, route and neighbour dumps of a veth pair between two fresh namespaces. */
@RequiresPrivileges
@Timeout(60)
class RtnetlinkKernelTests {
    private ScratchNamespace a;
    private ScratchNamespace b;

    @BeforeEach
    void pair() throws Exception {
        ScratchNamespace.assumeRoot();
        a = ScratchNamespace.create();
        b = ScratchNamespace.create();
        ScratchNamespace.connect(a, "198.51.100.1", b, "198.51.100.2");
    }

    @AfterEach
    void remove() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void aVethEndListsItsKindMtuMacAndStateAndGoesDownAndUp() throws Exception {
        Rtnetlink.Link va = a.rtnetlink().link("va");
        assertThat(va.kind()).isEqualTo("veth");
        assertThat(va.mtu()).isEqualTo(1500);
        assertThat(va.mac()).hasSize(6);
        assertThat(va.isUp()).isTrue();
        assertThat(va.isLowerUp()).as("the peer is up").isTrue();
        assertThat(va.operStateName()).isEqualTo("UP");
        assertThat(a.rtnetlink().linkList()).extracting(Rtnetlink.Link::name).containsExactlyInAnyOrder("lo", "va");
        assertThat(a.rtnetlink().link("lo").kind()).isNull();

        b.rtnetlink().apply(Rtnetlink.linkSetDown(20));

        Rtnetlink.Link vb = b.rtnetlink().link("vb");
        assertThat(vb.isUp()).isFalse();
        assertThat(vb.operStateName()).isEqualTo("DOWN");
        va = a.rtnetlink().link("va");
        assertThat(va.isUp()).as("still administratively up").isTrue();
        assertThat(va.isLowerUp()).as("no carrier with the peer down, at once").isFalse();
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (va.operStateName().equals("UP") && System.nanoTime() < deadline) {
            Thread.sleep(10); // the operational state follows through linkwatch, a moment later
            va = a.rtnetlink().link("va");
        }
        // DOWN, not LOWERLAYERDOWN: the kernel looks the peer up in va's own namespace and does not find it.
        assertThat(va.operStateName()).isEqualTo("DOWN");

        b.rtnetlink().apply(Rtnetlink.linkSetUp(20));
        assertThat(b.rtnetlink().link("vb").isUp()).isTrue();
    }

    @Test
    void addressesListTheirScopeAndFlags() throws Exception {
        Rtnetlink.Address address = a.rtnetlink().addrList().stream()
                .filter(x -> x.address().equals(addr("198.51.100.1"))).findFirst().orElseThrow();
        assertThat(address.prefixLength()).isEqualTo(24);
        assertThat(address.scope()).as("global").isZero();
        assertThat(address.flags() & 0x80).as("IFA_F_PERMANENT").isEqualTo(0x80);

        Rtnetlink.Address loopback = a.rtnetlink().addrList().stream()
                .filter(x -> x.address().equals(addr("127.0.0.1"))).findFirst().orElseThrow();
        assertThat(loopback.scope()).as("host").isEqualTo(254);
    }

    @Test
    void theConnectedRouteIsAKernelRouteOfLinkScope() throws Exception {
        Rtnetlink.Route connected = a.rtnetlink().routeList().stream()
                .filter(r -> r.destination().equals(addr("198.51.100.0")) && r.table() == 254).findFirst()
                .orElseThrow();
        assertThat(connected.prefixLength()).isEqualTo(24);
        assertThat(connected.protocol()).as("RTPROT_KERNEL").isEqualTo(2);
        assertThat(connected.scope()).as("RT_SCOPE_LINK").isEqualTo(253);
        assertThat(connected.type()).as("RTN_UNICAST").isEqualTo(1);
        assertThat(connected.gateway()).isNull();
        assertThat(connected.index()).isEqualTo(10);

        a.rtnetlink().apply(Rtnetlink.routeAdd(addr("203.0.113.0"), 24, addr("198.51.100.2"), 10, false));
        Rtnetlink.Route via = a.rtnetlink().routeList().stream()
                .filter(r -> r.destination().equals(addr("203.0.113.0"))).findFirst().orElseThrow();
        assertThat(via.gateway()).isEqualTo(addr("198.51.100.2"));
        assertThat(via.protocol()).as("RTPROT_STATIC").isEqualTo(4);
        assertThat(via.scope()).isZero();
    }

    @Test
    void theIpv4RouteListHasTheIpv4RoutesOfEveryTableAndNoIpv6Route() {
        List<Rtnetlink.Route> all = a.rtnetlink().routeList();
        List<Rtnetlink.Route> ipv4 = a.rtnetlink().ipv4RouteList();

        assertThat(all).anyMatch(r -> r.destination().getAddress().length == 16);
        assertThat(ipv4).allMatch(r -> r.destination().getAddress().length == 4)
                .anyMatch(r -> r.table() == Rtnetlink.RT_TABLE_LOCAL) // 127.0.0.1, 198.51.100.1
                .containsExactlyInAnyOrderElementsOf(
                        all.stream().filter(r -> r.destination().getAddress().length == 4).toList());
    }

    @Test
    void aPeerThatWasTalkedToIsAReachableNeighbourWithItsMac() throws Exception {
        try (ServerSocket server = b.call(() -> new ServerSocket(0, 1, addr("198.51.100.2")));
             Socket client = a.call(() -> {
                 Socket socket = new Socket();
                 socket.connect(new InetSocketAddress(addr("198.51.100.2"), server.getLocalPort()), 5_000);
                 return socket;
             })) {
            Rtnetlink.Neighbour neighbour = a.rtnetlink().neighList().stream()
                    .filter(n -> addr("198.51.100.2").equals(n.address())).findFirst().orElseThrow();

            assertThat(neighbour.index()).isEqualTo(10);
            assertThat(neighbour.lladdr()).isEqualTo(b.rtnetlink().link("vb").mac());
            assertThat(neighbour.stateName()).isIn("REACHABLE", "DELAY", "STALE");
        }
    }

    private static InetAddress addr(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
