package dev.isonet.internal.netlink;

import static dev.isonet.internal.netlink.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dump entries read into records. Where a comment says "from the kernel", the bytes are what kernel 6.18
 * answered {@code ip} or {@code tc} (seen with strace); the others are laid out by hand after linux/if_link.h.
 */
class RtnetlinkReplyTests {

    @BeforeAll
    static void hostIsLittleEndian() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "replies are little-endian");
    }

    private static Reply reply(String... hex) {
        byte[] message = bytes(hex);
        return Reply.copyOf(message, 0, message.length);
    }

    @Test
    void aLinkReadsItsFlagsMtuAddressMasterKindAndOperationalState() {
        Reply newlink = reply(
                "64000000", "1000", "0200", "07000000", "00000000", // nlmsghdr: 100 bytes, RTM_NEWLINK, MULTI
                "00 00 0100", "03000000",     // ifinfomsg: ARPHRD_ETHER, index 3
                "43100100", "00000000",       //   flags UP | BROADCAST | RUNNING | MULTICAST | LOWER_UP, change
                "0a00 0300", "7665746830 00 0000", // IFLA_IFNAME "veth0"
                "0800 0400", "dc050000",      // IFLA_MTU 1500
                "0800 0a00", "02000000",      // IFLA_MASTER 2
                "0500 1000", "06 000000",     // IFLA_OPERSTATE IF_OPER_UP, u8 + pad
                "1400 1280",                  // IFLA_LINKINFO | NESTED
                "0900 0100", "7665746800 000000", //   IFLA_INFO_KIND "veth"
                "0400 0280",                  //   IFLA_INFO_DATA, empty
                "0a00 0100", "020000000003 0000"); // IFLA_ADDRESS

        Rtnetlink.Link link = Rtnetlink.link(newlink);

        assertThat(link.index()).isEqualTo(3);
        assertThat(link.name()).isEqualTo("veth0");
        assertThat(link.isUp()).isTrue();
        assertThat(link.isLowerUp()).isTrue();
        assertThat(link.mtu()).isEqualTo(1500);
        assertThat(link.master()).isEqualTo(2);
        assertThat(link.mac()).isEqualTo(bytes("020000000003"));
        assertThat(link.kind()).isEqualTo("veth");
        assertThat(link.operStateName()).isEqualTo("UP");
    }

    @Test
    void aLinkWithoutLinkInfoOrAddressHasNoKindAndNoMac() {
        Reply newlink = reply(
                "30000000", "1000", "0200", "07000000", "00000000",
                "00 00 0403", "01000000", "08000000", "00000000", // ARPHRD_LOOPBACK, index 1, flags LOOPBACK
                "0700 0300", "6c6f00 00",     // IFLA_IFNAME "lo"
                "0500 1000", "02 000000");    // IFLA_OPERSTATE IF_OPER_DOWN

        Rtnetlink.Link link = Rtnetlink.link(newlink);

        assertThat(link.name()).isEqualTo("lo");
        assertThat(link.kind()).isNull();
        assertThat(link.mac()).isNull();
        assertThat(link.isUp()).isFalse();
        assertThat(link.operStateName()).isEqualTo("DOWN");
    }

    @Test
    void aNeighbourFromTheKernelReadsItsAddressLinkLayerAddressAndState() throws Exception {
        // from the kernel, for: ip neigh add 198.51.100.9 lladdr 02:00:00:00:00:09 dev va (index 3)
        Reply newneigh = reply(
                "4c000000", "1c00", "2200", "e7420f6b", "07710000", // RTM_NEWNEIGH, MULTI | DUMP_FILTERED
                "02 00 0000", "03000000",     // ndmsg: AF_INET, pads, ifindex 3
                "8000 00 03",                 //   state NUD_PERMANENT, flags, type RTN_BROADCAST
                "0800 0100", "c6336409",      // NDA_DST 198.51.100.9
                "0a00 0200", "020000000009 0000", // NDA_LLADDR
                "0800 0400", "00000000",      // NDA_PROBES
                "1400 0300", "1d000000 1d000000 1d000000 00000000"); // NDA_CACHEINFO

        Rtnetlink.Neighbour neighbour = Rtnetlink.neighbour(newneigh);

        assertThat(neighbour.index()).isEqualTo(3);
        assertThat(neighbour.address()).isEqualTo(InetAddress.getByName("198.51.100.9"));
        assertThat(neighbour.lladdr()).isEqualTo(bytes("020000000009"));
        assertThat(neighbour.stateName()).isEqualTo("PERMANENT");
    }

    @Test
    void anIpv6MulticastNeighbourFromTheKernelIsNoarp() throws Exception {
        // from the kernel: the ff02::16 entry that MLD adds on va
        Reply newneigh = reply(
                "58000000", "1c00", "2200", "e7420f6b", "07710000",
                "0a 00 0000", "03000000", "4000 00 05", // AF_INET6, ifindex 3, NUD_NOARP, RTN_MULTICAST
                "1400 0100", "ff020000000000000000000000000016",
                "0a00 0200", "333300000016 0000",
                "0800 0400", "00000000",
                "1400 0300", "93170000 23000000 23000000 00000000");

        Rtnetlink.Neighbour neighbour = Rtnetlink.neighbour(newneigh);

        assertThat(neighbour.address()).isEqualTo(InetAddress.getByName("ff02::16"));
        assertThat(neighbour.lladdr()).isEqualTo(bytes("333300000016"));
        assertThat(neighbour.stateName()).isEqualTo("NOARP");
    }

    @Test
    void anAddressReadsItsFlagsFromIfaFlagsAndItsScope() throws Exception {
        Reply newaddr = reply(
                "3c000000", "1400", "0200", "07000000", "00000000", // RTM_NEWADDR
                "0a 40 80 fd", "03000000",    // ifaddrmsg: AF_INET6, /64, IFA_F_PERMANENT, RT_SCOPE_LINK, index 3
                "1400 0100", "fe800000000000000000000000000001", // IFA_ADDRESS fe80::1
                "0800 0800", "82000000",      // IFA_FLAGS = PERMANENT | NODAD (0x80 | 0x02)
                "0800 0300", "6c6f0000");     // IFA_LABEL, ignored

        Rtnetlink.Address address = Rtnetlink.address(newaddr);

        assertThat(address.address()).isEqualTo(InetAddress.getByName("fe80::1"));
        assertThat(address.prefixLength()).isEqualTo(64);
        assertThat(address.flags()).isEqualTo(0x82);
        assertThat(address.scope()).isEqualTo(253);
    }

    @Test
    void aRouteReadsItsScopeProtocolTypeAndGateway() throws Exception {
        Reply newroute = reply(
                "3c000000", "1800", "0200", "07000000", "00000000", // RTM_NEWROUTE
                "02 00 00 00", "fe 04 00 01", "00000000", // AF_INET, default, main, static, universe, unicast
                "0800 0f00", "fe000000",      // RTA_TABLE 254
                "0800 0500", "c6336401",      // RTA_GATEWAY 198.51.100.1
                "0800 0400", "03000000",      // RTA_OIF 3
                "0800 0600", "00000000");     // RTA_PRIORITY

        Rtnetlink.Route route = Rtnetlink.route(newroute);

        assertThat(route.table()).isEqualTo(254);
        assertThat(route.destination()).isEqualTo(InetAddress.getByName("0.0.0.0"));
        assertThat(route.prefixLength()).isZero();
        assertThat(route.gateway()).isEqualTo(InetAddress.getByName("198.51.100.1"));
        assertThat(route.index()).isEqualTo(3);
        assertThat(route.scope()).isZero();
        assertThat(route.protocol()).isEqualTo(4);
        assertThat(route.type()).isEqualTo(1);
    }
}
