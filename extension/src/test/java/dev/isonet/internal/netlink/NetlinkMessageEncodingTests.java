package dev.isonet.internal.netlink;

import static dev.isonet.internal.netlink.Hex.assertBytes;
import static dev.isonet.internal.netlink.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The wire primitives of {@link NetlinkMessage}: struct nlmsghdr and struct nlattr (linux/netlink.h), with
 * NLA_ALIGNTO = 4. Golden bytes are little-endian.
 */
@GoldenBytes
class NetlinkMessageEncodingTests {
    private static final int INITIAL_CAPACITY = 256;

    @Test
    void theHeaderCarriesLengthTypeFlagsSequenceAndAZeroPortId() {
        byte[] wire = NetlinkMessage.of(0x1234, 0x0105).u32(0xdeadbeef).toBytes(0x01020304);

        assertBytes(wire, bytes(
                "14000000",                   // nlmsg_len = 20, header included
                "3412",                       // nlmsg_type
                "0501",                       // nlmsg_flags
                "04030201",                   // nlmsg_seq
                "00000000",                   // nlmsg_pid = 0: the kernel fills in the sender
                "efbeadde"));                 // family header
    }

    @Test
    void theTypeIsReadBackFromTheHeader() {
        assertThat(NetlinkMessage.of(0x0a06, 0).type()).isEqualTo(0x0a06);
    }

    @Test
    void aMessageCanBeWrittenAgainWithAnotherSequenceNumber() {
        NetlinkMessage message = NetlinkMessage.of(18, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_DUMP)
                .u8(0).u8(0).u16(0).u32(0).u32(0).u32(0);

        byte[] first = message.toBytes(1);
        byte[] second = message.toBytes(2);

        assertThat(second).hasSameSizeAs(first);
        assertBytes(Arrays.copyOfRange(second, 8, 12), bytes("02000000"));
        first[8] = 2;
        assertBytes(second, first);
    }

    @Test
    void anUnalignedFamilyHeaderIsPaddedBeforeTheFirstAttribute() {
        byte[] wire = NetlinkMessage.of(1, 0).u8(0xaa).attrU32(2, 3).toBytes(0);

        assertBytes(wire, bytes(
                "1c000000", "0100", "0000", "00000000", "00000000", // nlmsghdr, length 28
                "aa 000000",                  // one byte of family header, padded to 4
                "0800 0200", "03000000"));    // nla_len 8, nla_type 2, host-endian u32
    }

    @Test
    void anAttributeLengthCountsItsPayloadButNotItsPadding() {
        byte[] wire = NetlinkMessage.of(1, 0).attr(7, bytes("0102030405")).attr(8, new byte[0]).toBytes(0);

        assertBytes(wire, bytes(
                "20000000", "0100", "0000", "00000000", "00000000", // nlmsghdr, length 32
                "0900 0700", "0102030405 000000", // nla_len 9 = 4 + 5, then 3 bytes of padding
                "0400 0800"));                // an empty attribute is its header alone
    }

    @Test
    void aStringAttributeIsNulTerminated() {
        byte[] wire = NetlinkMessage.of(1, 0).attrString(3, "eth0").attrString(4, "").toBytes(0);

        assertBytes(wire, bytes(
                "24000000", "0100", "0000", "00000000", "00000000", // nlmsghdr, length 36
                "0900 0300", "6574683000 000000", // "eth0\0": nla_len 9, 3 bytes of padding
                "0500 0400", "00 000000"));   // "\0": nla_len 5
    }

    @Test
    void integerAttributesAreHostOrBigEndianAsAsked() {
        byte[] wire = NetlinkMessage.of(1, 0)
                .attrU32(1, 0x11223344)
                .attrBe32(2, 0x11223344)
                .attrBe64(3, 0x1122334455667788L)
                .toBytes(0);

        assertBytes(wire, bytes(
                "2c000000", "0100", "0000", "00000000", "00000000",
                "0800 0100", "44332211",      // rtnetlink: host-endian
                "0800 0200", "11223344",      // nf_tables: big-endian
                "0c00 0300", "1122334455667788")); // nf_tables u64: big-endian
    }

    @Test
    void aNestIsFlaggedNestedAndItsLengthCoversItsChildrenWithTheirPadding() {
        NetlinkMessage m = NetlinkMessage.of(1, 0);
        int outer = m.nest(4);
        m.attrString(1, "abc");
        int inner = m.nest(2);
        m.attr(1, bytes("ff"));
        m.end(inner);
        m.end(outer);
        int empty = m.nest(5);
        m.end(empty);
        byte[] wire = m.toBytes(0);

        assertBytes(wire, bytes(
                "2c000000", "0100", "0000", "00000000", "00000000", // nlmsghdr, length 44
                "1800 0480",                  // type 4 | NLA_F_NESTED, length 24
                "0800 0100", "61626300",      //   "abc\0"
                "0c00 0280",                  //   type 2 | NLA_F_NESTED, length 12
                "0500 0100", "ff 000000",     //     one byte and its padding
                "0400 0580"));                // an empty nest: its header alone
    }

    @Test
    void aMessageGrowsPastItsInitialBufferKeepingEveryAttributeAndItsNest() {
        int count = 100;
        NetlinkMessage m = NetlinkMessage.of(16, NetlinkMessage.NLM_F_REQUEST).u32(0xcafe);
        int nest = m.nest(9);
        for (int i = 1; i <= count; i++) {
            m.attrU32(i, 1000 + i);
        }
        m.end(nest);
        byte[] wire = m.toBytes(7);

        int length = 16 + 4 + 4 + count * 8;
        assertThat(length).isGreaterThan(2 * INITIAL_CAPACITY);
        assertThat(wire).hasSize(length);
        ByteBuffer view = ByteBuffer.wrap(wire).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(view.getInt(0)).as("nlmsg_len").isEqualTo(length);
        assertThat(view.getShort(4)).as("nlmsg_type").isEqualTo((short) 16);
        assertThat(view.getInt(8)).as("nlmsg_seq").isEqualTo(7);
        assertThat(view.getInt(16)).as("family header").isEqualTo(0xcafe);
        assertThat(view.getShort(20) & 0xffff).as("nest length").isEqualTo(4 + count * 8);
        assertThat(view.getShort(22) & 0xffff).as("nest type").isEqualTo(9 | NetlinkMessage.NLA_F_NESTED);
        for (int i = 1; i <= count; i++) {
            int at = 24 + (i - 1) * 8;
            assertBytes(Arrays.copyOfRange(wire, at, at + 8),
                    ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                            .putShort((short) 8).putShort((short) i).putInt(1000 + i).array());
        }
    }

    @Test
    void aSingleAttributeLargerThanTwiceTheBufferFitsWithItsPadding() {
        byte[] large = new byte[1001];
        Arrays.fill(large, (byte) 0x5a);
        NetlinkMessage m = NetlinkMessage.of(1, 0).u32(0);
        int nest = m.nest(3);
        m.attr(1, large);
        m.end(nest);
        m.attrU32(2, 0x01020304);
        byte[] wire = m.toBytes(0);

        int attribute = 16 + 4 + 4;
        assertThat(wire).hasSize(attribute + 4 + 1004 + 8);
        ByteBuffer view = ByteBuffer.wrap(wire).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(view.getInt(0)).as("nlmsg_len").isEqualTo(wire.length);
        assertThat(view.getShort(20) & 0xffff).as("nest length").isEqualTo(4 + 4 + 1004);
        assertThat(view.getShort(attribute) & 0xffff).as("nla_len").isEqualTo(4 + 1001);
        assertThat(Arrays.copyOfRange(wire, attribute + 4, attribute + 4 + 1001)).isEqualTo(large);
        assertThat(Arrays.copyOfRange(wire, attribute + 4 + 1001, attribute + 4 + 1004)).containsOnly(0);
        assertBytes(Arrays.copyOfRange(wire, wire.length - 8, wire.length), bytes("0800 0200", "04030201"));
    }

    @Test
    void rawBytesWrittenAcrossTheBufferBoundaryAreKept() {
        NetlinkMessage m = NetlinkMessage.of(1, 0);
        for (int i = 0; i < 300; i++) {
            m.u8(i);
        }
        byte[] wire = m.toBytes(0);

        assertThat(wire).hasSize(16 + 300);
        for (int i = 0; i < 300; i++) {
            assertThat(wire[16 + i]).as("byte %d", i).isEqualTo((byte) i);
        }
    }

    @Test
    void theFlagConstantsAreTheKernels() {
        assertThat(NetlinkMessage.NLM_F_REQUEST).isEqualTo(0x1);
        assertThat(NetlinkMessage.NLM_F_ACK).isEqualTo(0x4);
        assertThat(NetlinkMessage.NLM_F_DUMP).isEqualTo(0x300);
        assertThat(NetlinkMessage.NLM_F_EXCL).isEqualTo(0x200);
        assertThat(NetlinkMessage.NLM_F_CREATE).isEqualTo(0x400);
        assertThat(NetlinkMessage.NLA_F_NESTED).isEqualTo(0x8000);
    }
}
