package dev.isonet.internal.netlink;

import static dev.isonet.internal.netlink.Hex.wire;
import static dev.isonet.internal.netlink.Hex.assertBytes;
import static dev.isonet.internal.netlink.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.internal.netlink.Rtnetlink.VethEnd;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * The rtnetlink requests, byte for byte. The expected bytes follow linux/netlink.h, linux/rtnetlink.h,
 * linux/if_link.h, linux/veth.h and linux/if_addr.h; where a comment says "as iproute2", the bytes are
 * what iproute2 6.1 sent for the same command (seen with strace), apart from the differences named.
 * Integers are host-endian; these golden bytes are little-endian.
 */
@GoldenBytes
class RtnetlinkEncodingTests {
    private static final int SEQUENCE = 42;

    @Test
    void aBridgeIsAddedAsIproute2AddsItWithANestedFlagAndANulTerminatedKind() {
        // ip link add br0 type bridge
        byte[] expected = bytes(
                "38000000",                   // nlmsghdr.nlmsg_len = 56
                "1000",                       // nlmsg_type = RTM_NEWLINK
                "0506",                       // nlmsg_flags = REQUEST | ACK | EXCL | CREATE
                "2a000000",                   // nlmsg_seq = 42
                "00000000",                   // nlmsg_pid = 0
                "00 00 0000",                 // ifinfomsg: family AF_UNSPEC, pad, type 0
                "00000000",                   //   ifi_index = 0 (kernel's choice)
                "00000000",                   //   ifi_flags = 0
                "00000000",                   //   ifi_change = 0
                "0800 0300", "62723000",      // IFLA_IFNAME "br0\0"
                "1000 1280",                  // IFLA_LINKINFO | NLA_F_NESTED, 16 (iproute2: no nested flag)
                "0b00 0100", "627269646765 00 00"); //  IFLA_INFO_KIND "bridge\0" + pad (iproute2: no NUL, len 10)

        assertBytes(wire(Rtnetlink.linkAddBridge("br0", 0, null, false)), expected);
    }

    @Test
    void aBridgeWithIndexAddressAndUpCarriesThemInItsIfinfomsgAndAttributes() {
        byte[] mac = bytes("020000000001");
        byte[] expected = bytes(
                "44000000",                   // nlmsg_len = 68
                "1000",                       // RTM_NEWLINK
                "0506",                       // REQUEST | ACK | EXCL | CREATE
                "2a000000", "00000000",       // seq, pid
                "00 00 0000",                 // ifinfomsg: AF_UNSPEC, pad, type
                "07000000",                   //   ifi_index = 7
                "01000000",                   //   ifi_flags = IFF_UP
                "01000000",                   //   ifi_change = IFF_UP
                "0800 0300", "62723000",      // IFLA_IFNAME "br0\0"
                "0a00 0100", "020000000001 0000", // IFLA_ADDRESS, 6 bytes + pad
                "1000 1280",                  // IFLA_LINKINFO | NLA_F_NESTED
                "0b00 0100", "627269646765 00 00"); //  IFLA_INFO_KIND "bridge\0" + pad

        assertBytes(wire(Rtnetlink.linkAddBridge("br0", 7, mac, true)), expected);
    }

    @Test
    void aVethPairIsAddedWithItsPeerDescribedInsideVethInfoPeer() {
        VethEnd local = VethEnd.named("va").index(5).master(2).mtu(1400).mac(bytes("02000000000a"));
        VethEnd peer = VethEnd.named("vb").index(6).in(9);
        byte[] expected = bytes(
                "9c000000",                   // nlmsg_len = 156
                "1000",                       // RTM_NEWLINK
                "0506",                       // REQUEST | ACK | EXCL | CREATE
                "2a000000", "00000000",       // seq, pid
                "00 00 0000",                 // ifinfomsg (local end): AF_UNSPEC, pad, type
                "05000000",                   //   ifi_index = 5
                "01000000",                   //   ifi_flags = IFF_UP
                "01000000",                   //   ifi_change = IFF_UP
                "0700 0300", "766100 00",     // IFLA_IFNAME "va\0" + pad
                "0800 0a00", "02000000",      // IFLA_MASTER = 2
                "0800 0400", "78050000",      // IFLA_MTU = 1400
                "0a00 0100", "02000000000a 0000", // IFLA_ADDRESS + pad
                "0800 1f00", "01000000",      // IFLA_NUM_TX_QUEUES = 1 (as iproute2's numtxqueues 1)
                "0800 2000", "01000000",      // IFLA_NUM_RX_QUEUES = 1
                "4800 1280",                  // IFLA_LINKINFO | NLA_F_NESTED, 72
                "0900 0100", "7665746800 000000", //  IFLA_INFO_KIND "veth\0" + pad
                "3800 0280",                  //   IFLA_INFO_DATA | NLA_F_NESTED, 56
                "3400 0180",                  //    VETH_INFO_PEER | NLA_F_NESTED, 52
                "00 00 0000",                 //     ifinfomsg (peer): AF_UNSPEC, pad, type
                "06000000",                   //       ifi_index = 6
                "00000000",                   //       ifi_flags = 0: the peer cannot be created up
                "00000000",                   //       ifi_change = 0
                "0700 0300", "766200 00",     //     IFLA_IFNAME "vb\0" + pad
                "0800 1c00", "09000000",      //     IFLA_NET_NS_FD = 9
                "0800 1f00", "01000000",      //     IFLA_NUM_TX_QUEUES = 1
                "0800 2000", "01000000");     //     IFLA_NUM_RX_QUEUES = 1

        assertBytes(wire(Rtnetlink.linkAddVeth(local, peer)), expected);
    }

    @Test
    void aVethPeerIsNeverCreatedUpAndIsCreatedInsideItsNamespace() {
        byte[] wire = wire(Rtnetlink.linkAddVeth(VethEnd.named("va"), VethEnd.named("vb").in(4)));

        Reply reply = Reply.copyOf(wire, 0, wire.length);
        Attributes data = reply.attributes(16).nested(Rtnetlink.IFLA_LINKINFO).nested(Rtnetlink.IFLA_INFO_DATA);
        byte[] peer = data.bytes(Rtnetlink.VETH_INFO_PEER);
        assertThat(peer).as("VETH_INFO_PEER").isNotNull().hasSize(16 + 8 + 8 + 8 + 8);
        Reply peerInfo = Reply.copyOf(prependHeader(peer), 0, 16 + peer.length);
        assertThat(peerInfo.headerU32(8)).as("peer ifi_flags").isZero();
        assertThat(peerInfo.headerU32(12)).as("peer ifi_change").isZero();
        Attributes peerAttributes = peerInfo.attributes(16);
        assertThat(peerAttributes.string(Rtnetlink.IFLA_IFNAME)).isEqualTo("vb");
        assertThat(peerAttributes.u32(Rtnetlink.IFLA_NET_NS_FD, -1)).isEqualTo(4);
        assertThat(reply.attributes(16).has(Rtnetlink.IFLA_NET_NS_FD))
                .as("the local end stays in the socket's namespace").isFalse();
        assertThat(reply.headerU32(8)).as("local ifi_flags").isEqualTo(Rtnetlink.IFF_UP);
    }

    /** A zeroed netlink header in front of a peer's ifinfomsg, so that {@link Reply} can read it. */
    private static byte[] prependHeader(byte[] body) {
        byte[] message = new byte[16 + body.length];
        System.arraycopy(body, 0, message, 16, body.length);
        return message;
    }

    @Test
    void settingALinkUpChangesOnlyIffUpAsIproute2Does() {
        // ip link set dev br0 up (br0 has index 2)
        byte[] expected = bytes(
                "20000000",                   // nlmsg_len = 32
                "1000",                       // RTM_NEWLINK
                "0500",                       // REQUEST | ACK
                "2a000000", "00000000",       // seq, pid
                "00 00 0000",                 // ifinfomsg: AF_UNSPEC, pad, type
                "02000000",                   //   ifi_index = 2
                "01000000",                   //   ifi_flags = IFF_UP
                "01000000");                  //   ifi_change = IFF_UP

        assertBytes(wire(Rtnetlink.linkSetUp(2)), expected);
    }

    @Test
    void settingALinkDownClearsOnlyIffUpAsIproute2Does() {
        // ip link set dev va down (va has index 3), captured from iproute2 6.1 with strace
        byte[] expected = bytes(
                "20000000",                   // nlmsg_len = 32
                "1000",                       // RTM_NEWLINK
                "0500",                       // REQUEST | ACK
                "2a000000", "00000000",       // seq, pid
                "00 00 0000",                 // ifinfomsg: AF_UNSPEC, pad, type
                "03000000",                   //   ifi_index = 3
                "00000000",                   //   ifi_flags = 0
                "01000000");                  //   ifi_change = IFF_UP: only this flag changes

        assertBytes(wire(Rtnetlink.linkSetDown(3)), expected);
    }

    @Test
    void theNeighbourDumpAsksAsIproute2Does() {
        // ip neigh show, captured from iproute2 6.1 with strace
        byte[] expected = bytes(
                "1c000000",                   // nlmsg_len = 28
                "1e00",                       // nlmsg_type = RTM_GETNEIGH
                "0103",                       // REQUEST | DUMP
                "2a000000", "00000000",       // seq, pid
                "00 00 0000",                 // ndmsg: AF_UNSPEC (ARP and NDP), pads
                "00000000",                   //   ndm_ifindex = 0: every link
                "0000 00 00");                //   ndm_state, ndm_flags, ndm_type

        assertBytes(Rtnetlink.neighDumpRequest().toBytes(SEQUENCE), expected);
    }

    @Test
    void aNeighbourIsDeletedByFamilyLinkAndDestination() throws Exception {
        // ip neigh del 10.0.0.5 dev br0 (br0 has index 2); iproute2 also sets ndm_state NUD_PERMANENT, unused
        byte[] expected = bytes(
                "24000000",                   // nlmsg_len = 36
                "1d00",                       // nlmsg_type = RTM_DELNEIGH
                "0500",                       // REQUEST | ACK
                "2a000000", "00000000",       // seq, pid
                "02 00 0000",                 // ndmsg: AF_INET, pads
                "02000000",                   //   ndm_ifindex = 2
                "0000 00 00",                 //   ndm_state, ndm_flags, ndm_type
                "0800 0100", "0a000005");     // NDA_DST 10.0.0.5

        assertBytes(wire(Rtnetlink.neighDel(2, InetAddress.getByName("10.0.0.5"))), expected);
    }

    @Test
    void settingAMasterSendsIflaMasterAsIproute2Does() {
        // ip link set dev va master br0 (va has index 3, br0 index 2)
        byte[] expected = bytes(
                "28000000",                   // nlmsg_len = 40
                "1000",                       // RTM_NEWLINK
                "0500",                       // REQUEST | ACK
                "2a000000", "00000000",       // seq, pid
                "00 00 0000",                 // ifinfomsg: AF_UNSPEC, pad, type
                "03000000",                   //   ifi_index = 3
                "00000000", "00000000",       //   ifi_flags, ifi_change = 0
                "0800 0a00", "02000000");     // IFLA_MASTER = 2

        assertBytes(wire(Rtnetlink.linkSetMaster(3, 2)), expected);
    }

    @Test
    void settingAnAddressSendsSixBytesOfIflaAddressAsIproute2Does() {
        // ip link set dev br0 address 02:00:00:00:00:01
        byte[] expected = bytes(
                "2c000000",                   // nlmsg_len = 44
                "1000",                       // RTM_NEWLINK
                "0500",                       // REQUEST | ACK
                "2a000000", "00000000",       // seq, pid
                "00 00 0000",                 // ifinfomsg: AF_UNSPEC, pad, type
                "02000000",                   //   ifi_index = 2
                "00000000", "00000000",       //   ifi_flags, ifi_change = 0
                "0a00 0100", "020000000001 0000"); // IFLA_ADDRESS + pad

        assertBytes(wire(Rtnetlink.linkSetMac(2, bytes("020000000001"))), expected);
    }

    @Test
    void settingAnMtuSendsIflaMtuAsIproute2Does() {
        // ip link set dev br0 mtu 1400
        byte[] expected = bytes(
                "28000000",                   // nlmsg_len = 40
                "1000",                       // RTM_NEWLINK
                "0500",                       // REQUEST | ACK
                "2a000000", "00000000",       // seq, pid
                "00 00 0000",                 // ifinfomsg: AF_UNSPEC, pad, type
                "02000000",                   //   ifi_index = 2
                "00000000", "00000000",       //   ifi_flags, ifi_change = 0
                "0800 0400", "78050000");     // IFLA_MTU = 1400

        assertBytes(wire(Rtnetlink.linkSetMtu(2, 1400)), expected);
    }

    @Test
    void deletingALinkNamesItByIflaIfname() {
        // ip link del va (iproute2 looks the index up first and sends ifi_index instead of the name)
        byte[] expected = bytes(
                "28000000",                   // nlmsg_len = 40
                "1100",                       // nlmsg_type = RTM_DELLINK
                "0500",                       // REQUEST | ACK
                "2a000000", "00000000",       // seq, pid
                "00 00 0000",                 // ifinfomsg: AF_UNSPEC, pad, type
                "00000000",                   //   ifi_index = 0: by name
                "00000000", "00000000",       //   ifi_flags, ifi_change = 0
                "0700 0300", "766100 00");    // IFLA_IFNAME "va\0" + pad

        assertBytes(wire(Rtnetlink.linkDel("va")), expected);
    }

    @Test
    void anIpv4AddressIsAddedAsIproute2AddsIt() throws Exception {
        // ip addr add 10.0.0.1/24 dev br0 (index 2)
        byte[] expected = bytes(
                "28000000",                   // nlmsg_len = 40
                "1400",                       // nlmsg_type = RTM_NEWADDR
                "0506",                       // REQUEST | ACK | EXCL | CREATE
                "2a000000", "00000000",       // seq, pid
                "02",                         // ifaddrmsg.ifa_family = AF_INET
                "18",                         //   ifa_prefixlen = 24
                "00",                         //   ifa_flags = 0
                "00",                         //   ifa_scope = RT_SCOPE_UNIVERSE
                "02000000",                   //   ifa_index = 2
                "0800 0200", "0a000001",      // IFA_LOCAL 10.0.0.1
                "0800 0100", "0a000001");     // IFA_ADDRESS 10.0.0.1

        assertBytes(wire(Rtnetlink.addrAdd(2, InetAddress.getByName("10.0.0.1"), 24)), expected);
    }

    @Test
    void anIpv6AddressIsAddedWithoutDuplicateAddressDetection() throws Exception {
        // ip addr add fd00:1::1/64 dev br0 nodad; iproute2 sends no IFA_FLAGS when the flags fit ifa_flags
        byte[] expected = bytes(
                "48000000",                   // nlmsg_len = 72
                "1400",                       // RTM_NEWADDR
                "0506",                       // REQUEST | ACK | EXCL | CREATE
                "2a000000", "00000000",       // seq, pid
                "0a",                         // ifaddrmsg.ifa_family = AF_INET6
                "40",                         //   ifa_prefixlen = 64
                "02",                         //   ifa_flags = IFA_F_NODAD
                "00",                         //   ifa_scope = RT_SCOPE_UNIVERSE
                "02000000",                   //   ifa_index = 2
                "1400 0200", "fd000001000000000000000000000001", // IFA_LOCAL fd00:1::1
                "1400 0100", "fd000001000000000000000000000001", // IFA_ADDRESS fd00:1::1
                "0800 0800", "02000000");     // IFA_FLAGS = IFA_F_NODAD (u32)

        assertBytes(wire(Rtnetlink.addrAdd(2, InetAddress.getByName("fd00:1::1"), 64)), expected);
    }

    @Test
    void aDefaultRouteViaAnOnlinkGatewayIsAddedAsIproute2AddsItButAsStatic() throws Exception {
        // ip route add default via 10.0.0.254 dev br0 onlink (iproute2 says RTPROT_BOOT, 3)
        byte[] expected = bytes(
                "2c000000",                   // nlmsg_len = 44
                "1800",                       // nlmsg_type = RTM_NEWROUTE
                "0506",                       // REQUEST | ACK | EXCL | CREATE
                "2a000000", "00000000",       // seq, pid
                "02",                         // rtmsg.rtm_family = AF_INET
                "00",                         //   rtm_dst_len = 0: default
                "00",                         //   rtm_src_len
                "00",                         //   rtm_tos
                "fe",                         //   rtm_table = RT_TABLE_MAIN
                "04",                         //   rtm_protocol = RTPROT_STATIC
                "00",                         //   rtm_scope = RT_SCOPE_UNIVERSE
                "01",                         //   rtm_type = RTN_UNICAST
                "04000000",                   //   rtm_flags = RTNH_F_ONLINK
                "0800 0500", "0a0000fe",      // RTA_GATEWAY 10.0.0.254
                "0800 0400", "02000000");     // RTA_OIF = 2

        assertBytes(wire(Rtnetlink.routeAdd(InetAddress.getByName("0.0.0.0"), 0,
                InetAddress.getByName("10.0.0.254"), 2, true)), expected);
    }

    @Test
    void aRouteWithoutGatewayIsALinkScopeRouteAsIproute2AddsIt() throws Exception {
        // ip route add 10.1.0.0/16 dev br0 (iproute2 says RTPROT_BOOT, 3)
        byte[] expected = bytes(
                "2c000000",                   // nlmsg_len = 44
                "1800",                       // RTM_NEWROUTE
                "0506",                       // REQUEST | ACK | EXCL | CREATE
                "2a000000", "00000000",       // seq, pid
                "02 10 00 00",                // rtmsg: AF_INET, dst_len 16, src_len 0, tos 0
                "fe 04 fd 01",                //   RT_TABLE_MAIN, RTPROT_STATIC, RT_SCOPE_LINK, RTN_UNICAST
                "00000000",                   //   rtm_flags = 0
                "0800 0100", "0a010000",      // RTA_DST 10.1.0.0
                "0800 0400", "02000000");     // RTA_OIF = 2

        assertBytes(wire(Rtnetlink.routeAdd(InetAddress.getByName("10.1.0.0"), 16, null, 2, false)), expected);
    }

    @Test
    void anIpv6DefaultRouteCarriesASixteenByteGateway() throws Exception {
        // ip -6 route add default via fe80::1 dev eth0 (index 3)
        byte[] expected = bytes(
                "38000000",                   // nlmsg_len = 56
                "1800",                       // RTM_NEWROUTE
                "0506",                       // REQUEST | ACK | EXCL | CREATE
                "2a000000", "00000000",       // seq, pid
                "0a 00 00 00",                // rtmsg: AF_INET6, dst_len 0, src_len 0, tos 0
                "fe 04 00 01",                //   RT_TABLE_MAIN, RTPROT_STATIC, RT_SCOPE_UNIVERSE, RTN_UNICAST
                "00000000",                   //   rtm_flags = 0
                "1400 0500", "fe800000000000000000000000000001", // RTA_GATEWAY fe80::1
                "0800 0400", "03000000");     // RTA_OIF = 3

        assertBytes(wire(Rtnetlink.routeAdd(InetAddress.getByName("::"), 0,
                InetAddress.getByName("fe80::1"), 3, false)), expected);
    }

    @Test
    void anIpv6PrefixRouteCarriesASixteenByteDestination() throws Exception {
        // ip -6 route add fd00:2::/64 dev eth0 (index 3)
        byte[] expected = bytes(
                "38000000",                   // nlmsg_len = 56
                "1800",                       // RTM_NEWROUTE
                "0506",                       // REQUEST | ACK | EXCL | CREATE
                "2a000000", "00000000",       // seq, pid
                "0a 40 00 00",                // rtmsg: AF_INET6, dst_len 64, src_len 0, tos 0
                "fe 04 fd 01",                //   RT_TABLE_MAIN, RTPROT_STATIC, RT_SCOPE_LINK, RTN_UNICAST
                "00000000",                   //   rtm_flags = 0
                "1400 0100", "fd000002000000000000000000000000", // RTA_DST fd00:2::
                "0800 0400", "03000000");     // RTA_OIF = 3

        assertBytes(wire(Rtnetlink.routeAdd(InetAddress.getByName("fd00:2::"), 64, null, 3, false)), expected);
    }
}
