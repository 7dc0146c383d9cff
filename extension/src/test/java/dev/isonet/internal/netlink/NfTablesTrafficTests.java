package dev.isonet.internal.netlink;

import dev.isonet.RequiresPrivileges;
import static dev.isonet.internal.netlink.NfExpression.REG32_01;
import static dev.isonet.internal.netlink.NfExpression.REG_1;
import static dev.isonet.internal.netlink.NfTables.FAMILY_BRIDGE;
import static dev.isonet.internal.netlink.NfTables.FAMILY_INET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.internal.ns.HostNamespaces;
import dev.isonet.internal.ns.NamespaceFds;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rules do to packets what they say. Every namespace is made here and closed after the test; traffic
 * stays inside them (10.99.0.0/24 on a bridge of our own, or loopback). Each wait is bounded.
 */
@RequiresPrivileges
@Timeout(60)
class NfTablesTrafficTests {
    private static final int PORT = 7000;
    private static final Duration ARRIVES_WITHIN = Duration.ofSeconds(5);
    private static final Duration LOST_FOR = Duration.ofMillis(1500);
    private static final String TABLE = "isonet-test";

    private final List<AutoCloseable> opened = new ArrayList<>();

    private record Router(NfTables nft, Rtnetlink rt) {}

    /** A UDP socket in a namespace, reached at {@code address}. */
    private record Endpoint(DatagramSocket socket, InetAddress address) {
        Endpoint at(InetAddress other) {
            return new Endpoint(socket, other);
        }
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private <T> T own(NamespaceFds fds, T value, AutoCloseable... closers) {
        opened.add(fds::close);
        opened.addAll(List.of(closers));
        return value;
    }

    private Router router() {
        return HostNamespaces.create(null, fds -> {
            Rtnetlink rt = Rtnetlink.open("traffic test router");
            NfTables nft = NfTables.open("traffic test router");
            return own(fds, new Router(nft, rt), rt, nft);
        });
    }

    /**
     * A namespace with a UDP socket on {@link #PORT}, and a veth from the router's bridge as its eth0 with
     * {@code addresses} (IPv6 ones without duplicate address detection, so usable at once).
     */
    private Endpoint endpoint(Router router, String port, int bridge, String... addresses) throws Exception {
        record Made(NamespaceFds fds, Rtnetlink rt, DatagramSocket socket) {}
        Made made = HostNamespaces.create(null, fds -> {
            Rtnetlink rt = Rtnetlink.open("traffic test " + port);
            DatagramSocket socket = new DatagramSocket(PORT);
            return own(fds, new Made(fds, rt, socket), rt, socket);
        });
        router.rt().apply(Rtnetlink.linkAddVeth(Rtnetlink.VethEnd.named(port).master(bridge),
                Rtnetlink.VethEnd.named("eth0").in(made.fds().net())));
        int eth0 = made.rt().link("eth0").index();
        List<Request> setup = new ArrayList<>(List.of(Rtnetlink.linkSetUp(eth0)));
        for (String address : addresses) {
            InetAddress ip = InetAddress.getByName(address);
            setup.add(Rtnetlink.addrAdd(eth0, ip, ip instanceof Inet6Address ? 64 : 24));
        }
        made.rt().apply(setup);
        return new Endpoint(made.socket(), InetAddress.getByName(addresses[0]));
    }

    /** Sends a fresh datagram every 100 ms until one arrives or {@code within} has passed. */
    private static boolean arrives(Endpoint from, Endpoint to, Duration within) throws IOException {
        byte[] token = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
        long deadline = System.nanoTime() + within.toNanos();
        to.socket().setSoTimeout(100);
        byte[] buffer = new byte[128];
        while (System.nanoTime() < deadline) {
            try {
                from.socket().send(new DatagramPacket(token, token.length, to.address(), PORT));
            } catch (IOException unreachable) {
                // a failed neighbour lookup may surface here; it is just another lost datagram
            }
            try {
                while (true) {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    to.socket().receive(packet);
                    if (new String(buffer, 0, packet.getLength(), StandardCharsets.US_ASCII)
                            .equals(new String(token, StandardCharsets.US_ASCII))) {
                        return true;
                    }
                }
            } catch (SocketTimeoutException nothingYet) {
                // send again
            }
        }
        return false;
    }

    private static List<NfExpression> arpAccept() {
        return List.of(
                NfExpression.meta(NfExpression.META_PROTOCOL, REG_1),
                NfExpression.cmpEq(REG_1, NfExpression.be16(NfExpression.ETH_P_ARP)),
                NfExpression.verdict(NfExpression.VERDICT_ACCEPT));
    }

    private static List<NfExpression> blockedPairDrop() {
        return List.of(
                NfExpression.meta(NfExpression.META_IIF, REG_1),
                NfExpression.meta(NfExpression.META_OIF, REG32_01),
                NfExpression.lookup("blocked", REG_1, false),
                NfExpression.verdict(NfExpression.VERDICT_DROP));
    }

    @Test
    void aBridgeForwardRuleDropsOneDirectionAndPassingArpKeepsTheOtherDirectionWorking() throws Exception {
        Router router = router();
        router.rt().apply(Rtnetlink.linkAddBridge("br0", 0, new byte[] {0x02, 0, 0, 0, 0x63, 0x01}, true));
        int bridge = router.rt().link("br0").index();
        Endpoint a = endpoint(router, "pa", bridge, "10.99.0.1");
        Endpoint b = endpoint(router, "pb", bridge, "10.99.0.2");
        int pa = router.rt().link("pa").index();
        int pb = router.rt().link("pb").index();

        // Block a -> b, frames entering the bridge at pa and leaving at pb; ARP is not exempt yet.
        router.nft().batch()
                .tableAdd(FAMILY_BRIDGE, TABLE, 0)
                .chainAdd(FAMILY_BRIDGE, TABLE, "forward", "filter", NfTables.HOOK_FORWARD,
                        NfTables.BRIDGE_PRIORITY_FILTER)
                .setAdd(FAMILY_BRIDGE, TABLE, "blocked", NfSetKey.IFINDEX.concat(NfSetKey.IFINDEX), 0)
                .setElementsAdd(FAMILY_BRIDGE, TABLE, "blocked", List.of(NfSetKey.ifindexes(pa, pb)))
                .ruleAdd(FAMILY_BRIDGE, TABLE, "forward", blockedPairDrop())
                .commit();
        // b's ARP request reaches a, but a's reply is a frame from pa to pb: b never learns a's address.
        assertThat(arrives(b, a, LOST_FOR)).as("b -> a while ARP replies are dropped").isFalse();
        assertThat(arrives(a, b, LOST_FOR)).as("a -> b, blocked").isFalse();

        // The chain rebuilt in one batch, ARP first: the block stays one way.
        router.nft().batch()
                .chainFlush(FAMILY_BRIDGE, TABLE, "forward")
                .ruleAdd(FAMILY_BRIDGE, TABLE, "forward", arpAccept())
                .ruleAdd(FAMILY_BRIDGE, TABLE, "forward", blockedPairDrop())
                .commit();
        assertThat(arrives(b, a, ARRIVES_WITHIN)).as("b -> a with ARP passing").isTrue();
        assertThat(arrives(a, b, LOST_FOR)).as("a -> b, still blocked").isFalse();

        // Flushing the set heals it.
        router.nft().batch().setFlush(FAMILY_BRIDGE, TABLE, "blocked").commit();
        assertThat(arrives(a, b, ARRIVES_WITHIN)).as("a -> b after the set was flushed").isTrue();
    }

    private static List<NfExpression> neighbourDiscoveryAccept() {
        // ICMPv6 types 133 to 137: router and neighbour solicitations and advertisements, redirects
        return List.of(
                NfExpression.meta(NfExpression.META_L4PROTO, REG_1),
                NfExpression.cmpEq(REG_1, new byte[] {NfExpression.IPPROTO_ICMPV6}),
                NfExpression.payload(NfExpression.PAYLOAD_TRANSPORT_HEADER, 0, 1, REG_1),
                NfExpression.cmp(NfExpression.CMP_GTE, REG_1, new byte[] {(byte) 133}),
                NfExpression.cmp(NfExpression.CMP_LTE, REG_1, new byte[] {(byte) 137}),
                NfExpression.verdict(NfExpression.VERDICT_ACCEPT));
    }

    @Test
    void overIpv6PassingNeighbourDiscoveryKeepsAOneWayBlockOneWay() throws Exception {
        Router router = router();
        router.rt().apply(Rtnetlink.linkAddBridge("br0", 0, new byte[] {0x02, 0, 0, 0, 0x63, 0x02}, true));
        int bridge = router.rt().link("br0").index();
        Endpoint a = endpoint(router, "pa", bridge, "fdd9:99::1");
        Endpoint b = endpoint(router, "pb", bridge, "fdd9:99::2");
        int pa = router.rt().link("pa").index();
        int pb = router.rt().link("pb").index();

        router.nft().batch()
                .tableAdd(FAMILY_BRIDGE, TABLE, 0)
                .chainAdd(FAMILY_BRIDGE, TABLE, "forward", "filter", NfTables.HOOK_FORWARD,
                        NfTables.BRIDGE_PRIORITY_FILTER)
                .setAdd(FAMILY_BRIDGE, TABLE, "blocked", NfSetKey.IFINDEX.concat(NfSetKey.IFINDEX), 0)
                .setElementsAdd(FAMILY_BRIDGE, TABLE, "blocked", List.of(NfSetKey.ifindexes(pa, pb)))
                .ruleAdd(FAMILY_BRIDGE, TABLE, "forward", blockedPairDrop())
                .commit();
        // a's neighbour advertisement is a frame from pa to pb: b never learns a's address.
        assertThat(arrives(b, a, LOST_FOR)).as("b -> a while neighbour advertisements are dropped").isFalse();

        router.nft().batch()
                .chainFlush(FAMILY_BRIDGE, TABLE, "forward")
                .ruleAdd(FAMILY_BRIDGE, TABLE, "forward", neighbourDiscoveryAccept())
                .ruleAdd(FAMILY_BRIDGE, TABLE, "forward", blockedPairDrop())
                .commit();
        assertThat(arrives(b, a, ARRIVES_WITHIN)).as("b -> a with neighbour discovery passing").isTrue();
        assertThat(arrives(a, b, LOST_FOR)).as("a -> b, blocked").isFalse();
    }

    @Test
    void theNfqueueTargetTakesPacketsAndBypassLetsThemPassWhenNobodyListens() throws Exception {
        record Host(Rtnetlink rt, NfTables nft, DatagramSocket socket) {}
        Host host = HostNamespaces.create(null, fds -> {
            Rtnetlink rt = Rtnetlink.open("traffic test host");
            NfTables nft = NfTables.open("traffic test host");
            DatagramSocket socket = new DatagramSocket(PORT);
            return own(fds, new Host(rt, nft, socket), rt, nft, socket);
        });
        host.rt().apply(Rtnetlink.linkSetUp(1)); // lo
        Endpoint self = new Endpoint(host.socket(), InetAddress.getByName("127.0.0.1"));
        List<NfExpression> udp = List.of(
                NfExpression.meta(NfExpression.META_L4PROTO, REG_1),
                NfExpression.cmpEq(REG_1, new byte[] {NfExpression.IPPROTO_UDP}));

        host.nft().batch()
                .tableAdd(FAMILY_INET, TABLE, 0)
                .chainAdd(FAMILY_INET, TABLE, "output", "filter", NfTables.HOOK_OUTPUT, 0)
                .ruleAdd(FAMILY_INET, TABLE, "output", concat(udp, NfExpression.nfqueue(5, 1, 0)))
                .commit();
        assertThat(arrives(self, self, LOST_FOR)).as("queued, no listener, no bypass").isFalse();

        host.nft().batch()
                .chainFlush(FAMILY_INET, TABLE, "output")
                .ruleAdd(FAMILY_INET, TABLE, "output",
                        concat(udp, NfExpression.nfqueue(5, 1, NfExpression.NFQ_FLAG_BYPASS)))
                .commit();
        assertThat(arrives(self, self, ARRIVES_WITHIN)).as("queued, no listener, bypass").isTrue();
    }

    private static List<NfExpression> concat(List<NfExpression> first, NfExpression last) {
        List<NfExpression> all = new ArrayList<>(first);
        all.add(last);
        return all;
    }
}
