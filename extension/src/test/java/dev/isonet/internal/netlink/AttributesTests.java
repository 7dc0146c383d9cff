package dev.isonet.internal.netlink;

import static dev.isonet.internal.netlink.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reading side: hand-made kernel replies fed to {@link Reply} and {@link Attributes}. The replies are
 * laid out as the kernel sends them (linux/netlink.h, linux/rtnetlink.h, linux/if_link.h), little-endian.
 */
class AttributesTests {

    @BeforeAll
    static void hostIsLittleEndian() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "hand-made replies are little-endian");
    }

    /** An RTM_NEWLINK reply for veth0 (index 3, master 2) with its link info nested. */
    private static final byte[] NEWLINK = bytes(
            "58000000",                       // nlmsg_len = 88
            "1000",                           // nlmsg_type = RTM_NEWLINK
            "0200",                           // nlmsg_flags = NLM_F_MULTI
            "07000000",                       // nlmsg_seq = 7
            "00000000",                       // nlmsg_pid
            "00 00 0100",                     // ifinfomsg: AF_UNSPEC, pad, type ARPHRD_ETHER
            "03000000",                       //   ifi_index = 3
            "43100000",                       //   ifi_flags = UP | BROADCAST | RUNNING | MULTICAST | LOWER_UP
            "00000000",                       //   ifi_change
            "0a00 0300", "7665746830 00 0000", // IFLA_IFNAME "veth0\0" + pad
            "0800 0400", "dc050000",          // IFLA_MTU = 1500
            "0800 0a00", "02000000",          // IFLA_MASTER = 2
            "1400 1280",                      // IFLA_LINKINFO | NLA_F_NESTED, 20
            "0900 0100", "7665746800 000000", //   IFLA_INFO_KIND "veth\0" + pad
            "0400 0280",                      //   IFLA_INFO_DATA | NLA_F_NESTED, empty
            "0a00 0100", "020000000003 0000"); // IFLA_ADDRESS, 6 bytes + pad

    private static Reply newlink() {
        return Reply.copyOf(NEWLINK, 0, NEWLINK.length);
    }

    @Test
    void aReplyReadsItsNetlinkHeader() {
        Reply reply = newlink();

        assertThat(reply.type()).isEqualTo(Rtnetlink.RTM_NEWLINK);
        assertThat(reply.flags()).isEqualTo(0x2);
        assertThat(reply.sequence()).isEqualTo(7);
    }

    @Test
    void aReplyReadsItsFamilyHeader() {
        Reply reply = newlink();

        assertThat(reply.headerU32(4)).as("ifi_index").isEqualTo(3);
        assertThat(reply.headerU32(8)).as("ifi_flags").isEqualTo(0x1043);
        assertThat(reply.headerU8(2)).as("low byte of ifi_type").isEqualTo(1);
    }

    @Test
    void attributesAreFoundByTypeWhereverTheyAre() {
        Attributes attributes = newlink().attributes(16);

        assertThat(attributes.string(Rtnetlink.IFLA_IFNAME)).isEqualTo("veth0");
        assertThat(attributes.u32(Rtnetlink.IFLA_MTU, -1)).isEqualTo(1500);
        assertThat(attributes.u32(Rtnetlink.IFLA_MASTER, -1)).isEqualTo(2);
        assertThat(attributes.bytes(Rtnetlink.IFLA_ADDRESS)).isEqualTo(bytes("020000000003"));
    }

    @Test
    void anAbsentAttributeReadsAsNullOrTheGivenDefault() {
        Attributes attributes = newlink().attributes(16);

        assertThat(attributes.has(Rtnetlink.IFLA_NET_NS_FD)).isFalse();
        assertThat(attributes.bytes(Rtnetlink.IFLA_NET_NS_FD)).isNull();
        assertThat(attributes.string(Rtnetlink.IFLA_NET_NS_FD)).isNull();
        assertThat(attributes.u32(Rtnetlink.IFLA_NET_NS_FD, -1)).isEqualTo(-1);
    }

    @Test
    void aNestIsFoundDespiteItsNestedFlagAndReadsOnlyItsOwnChildren() {
        Attributes linkInfo = newlink().attributes(16).nested(Rtnetlink.IFLA_LINKINFO);

        assertThat(linkInfo.string(Rtnetlink.IFLA_INFO_KIND)).isEqualTo("veth");
        assertThat(linkInfo.has(Rtnetlink.IFLA_INFO_DATA)).isTrue();
        assertThat(linkInfo.bytes(Rtnetlink.IFLA_INFO_DATA)).isEmpty();
        assertThat(linkInfo.has(Rtnetlink.IFLA_ADDRESS))
                .as("IFLA_ADDRESS follows the nest; type 1 inside it is IFLA_INFO_KIND").isTrue();
        assertThat(linkInfo.bytes(Rtnetlink.IFLA_ADDRESS)).asString().isEqualTo("veth\0");
        assertThat(linkInfo.has(Rtnetlink.IFLA_MTU)).as("a sibling of the nest").isFalse();
    }

    @Test
    void anEmptyOrAbsentNestHasNoAttributes() {
        Attributes attributes = newlink().attributes(16);

        Attributes empty = attributes.nested(Rtnetlink.IFLA_LINKINFO).nested(Rtnetlink.IFLA_INFO_DATA);
        Attributes absent = attributes.nested(Rtnetlink.IFLA_NET_NS_FD);

        assertThat(empty.has(Rtnetlink.VETH_INFO_PEER)).isFalse();
        assertThat(absent.has(Rtnetlink.IFLA_IFNAME)).isFalse();
        assertThat(absent.u32(Rtnetlink.IFLA_MTU, 0)).isZero();
        assertThat(absent.nested(Rtnetlink.IFLA_LINKINFO).string(Rtnetlink.IFLA_INFO_KIND)).isNull();
    }

    @Test
    void aStringEndsAtItsFirstNulOrAtTheEndOfTheAttribute() {
        byte[] message = bytes(
                "24000000", "1000", "0000", "00000000", "00000000",
                "0a00 0100", "627269646765 0000", // "bridge" without NUL, as iproute2 sends a kind
                "0b00 0300", "657468 00 787878 00"); // "eth\0xxx": whatever follows the NUL is ignored

        Attributes attributes = Reply.copyOf(message, 0, message.length).attributes(0);

        assertThat(attributes.string(1)).isEqualTo("bridge");
        assertThat(attributes.string(3)).isEqualTo("eth");
    }

    @Test
    void theNetworkByteOrderFlagDoesNotHideAnAttributesType() {
        byte[] message = bytes(
                "18000000", "0000", "0000", "00000000", "00000000",
                "0800 0140", "00000005");     // type 1 | NLA_F_NET_BYTEORDER (0x4000)

        Attributes attributes = Reply.copyOf(message, 0, message.length).attributes(0);

        assertThat(attributes.has(1)).isTrue();
        assertThat(attributes.bytes(1)).isEqualTo(bytes("00000005"));
    }

    @Test
    void attributesStartAfterTheFamilyHeaderRoundedUpToFourBytes() {
        byte[] message = bytes(
                "20000000", "1400", "0000", "00000000", "00000000",
                "0a 40 00 00", "02000000",    // ifaddrmsg (8 bytes): AF_INET6, /64, index 2
                "0800 0800", "82000000");     // IFA_FLAGS = IFA_F_PERMANENT | IFA_F_NODAD

        Reply reply = Reply.copyOf(message, 0, message.length);

        assertThat(reply.headerU8(1)).as("ifa_prefixlen").isEqualTo(64);
        assertThat(reply.attributes(8).u32(Rtnetlink.IFA_FLAGS, -1)).isEqualTo(0x82);
        assertThat(reply.attributes(5).u32(Rtnetlink.IFA_FLAGS, -1)).as("5 rounds up to 8").isEqualTo(0x82);
    }

    @Test
    void anNfTablesReplyIsReadAfterItsFourByteNfgenmsg() {
        byte[] message = bytes(
                "24000000",                   // nlmsg_len = 36
                "000a",                       // NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWTABLE
                "0200", "01000000", "00000000",
                "01 00 0000",                 // nfgenmsg: NFPROTO_INET
                "0b00 0100", "69736f6e657400 00", // NFTA_TABLE_NAME "isonet\0"
                "0800 0200", "00000002");     // NFTA_TABLE_FLAGS, big-endian

        Reply reply = Reply.copyOf(message, 0, message.length);

        assertThat(reply.type() & 0xff).isEqualTo(NfTables.MSG_NEWTABLE);
        assertThat(reply.headerU8(0)).isEqualTo(NfTables.FAMILY_INET);
        assertThat(reply.attributes(4).string(1)).isEqualTo("isonet");
        assertThat(reply.attributes(4).bytes(2)).isEqualTo(bytes("00000002"));
    }

    @Test
    void aReplyCopiedFromTheMiddleOfADatagramReadsOnlyItself() {
        byte[] first = bytes("14000000", "0300", "0200", "07000000", "00000000", "00000000"); // NLMSG_DONE
        byte[] datagram = new byte[first.length + NEWLINK.length + first.length];
        System.arraycopy(first, 0, datagram, 0, first.length);
        System.arraycopy(NEWLINK, 0, datagram, first.length, NEWLINK.length);
        System.arraycopy(first, 0, datagram, first.length + NEWLINK.length, first.length);

        Reply reply = Reply.copyOf(datagram, first.length, NEWLINK.length);

        assertThat(reply.type()).isEqualTo(Rtnetlink.RTM_NEWLINK);
        assertThat(reply.headerU32(4)).isEqualTo(3);
        assertThat(reply.attributes(16).string(Rtnetlink.IFLA_IFNAME)).isEqualTo("veth0");
        assertThat(reply.attributes(16).nested(Rtnetlink.IFLA_LINKINFO).string(Rtnetlink.IFLA_INFO_KIND))
                .isEqualTo("veth");
    }

    @Test
    void attributesOfAViewReadOnlyTheirRange() {
        ByteBuffer buffer = ByteBuffer.wrap(bytes(
                "0800 0100", "01000000",
                "0800 0200", "02000000",
                "0800 0300", "03000000"));

        Attributes middle = new Attributes(buffer, 8, 16);

        assertThat(middle.has(1)).isFalse();
        assertThat(middle.u32(2, -1)).isEqualTo(2);
        assertThat(middle.has(3)).isFalse();
    }

    @Test
    void aMalformedAttributeShorterThanItsHeaderEndsTheSearch() {
        ByteBuffer buffer = ByteBuffer.wrap(bytes(
                "0800 0100", "01000000",
                "0000 0500",                  // nla_len 0: would loop forever if followed
                "0800 0200", "02000000"));

        Attributes attributes = new Attributes(buffer, 0, 20);

        assertThat(attributes.u32(1, -1)).isEqualTo(1);
        assertThat(attributes.has(2)).isFalse();
    }

    @Test
    void anAttributeWrittenByNetlinkMessageReadsBackUnchanged() {
        NetlinkMessage m = NetlinkMessage.of(Rtnetlink.RTM_NEWLINK, 0).u8(0).u8(0).u16(0).u32(4).u32(0).u32(0)
                .attrString(Rtnetlink.IFLA_IFNAME, "n1-eth0")
                .attrU32(Rtnetlink.IFLA_MTU, 9000);
        int info = m.nest(Rtnetlink.IFLA_LINKINFO);
        m.attrString(Rtnetlink.IFLA_INFO_KIND, "bridge");
        m.end(info);
        byte[] wire = m.toBytes(5);

        Reply reply = Reply.copyOf(wire, 0, wire.length);

        assertThat(reply.sequence()).isEqualTo(5);
        assertThat(reply.headerU32(4)).isEqualTo(4);
        assertThat(reply.attributes(16).string(Rtnetlink.IFLA_IFNAME)).isEqualTo("n1-eth0");
        assertThat(reply.attributes(16).u32(Rtnetlink.IFLA_MTU, 0)).isEqualTo(9000);
        assertThat(reply.attributes(16).nested(Rtnetlink.IFLA_LINKINFO).string(Rtnetlink.IFLA_INFO_KIND))
                .isEqualTo("bridge");
    }
}
