package dev.isonet.internal.netlink;

import static dev.isonet.internal.netlink.NfExpression.REG32_01;
import static dev.isonet.internal.netlink.NfExpression.REG_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each expression's text, as error messages and rule dumps show it (close to nft --debug=netlink). */
class NfExpressionTextTests {

    @BeforeAll
    static void hostIsLittleEndian() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "host-endian values print little-endian");
    }

    @Test
    void loadsNameWhatTheyLoadAndWhere() {
        assertThat(List.of(
                NfExpression.meta(NfExpression.META_IIFNAME, REG_1),
                NfExpression.meta(NfExpression.META_OIF, REG32_01),
                NfExpression.meta(NfExpression.META_PROTOCOL, REG_1),
                NfExpression.meta(NfExpression.META_L4PROTO, REG_1),
                NfExpression.meta(NfExpression.META_NFPROTO, REG_1),
                NfExpression.meta(NfExpression.META_PKTTYPE, REG_1),
                NfExpression.ct(NfExpression.CT_STATE, REG_1),
                NfExpression.payload(12, 4, REG_1),
                NfExpression.payload(NfExpression.PAYLOAD_LINK_HEADER, 12, 2, REG_1),
                NfExpression.payload(NfExpression.PAYLOAD_TRANSPORT_HEADER, 2, 2, REG_1),
                NfExpression.numgenRandom(1000, REG_1),
                NfExpression.fib(NfExpression.FIB_DADDR | NfExpression.FIB_IIF, NfExpression.FIB_RESULT_ADDRTYPE, REG_1),
                NfExpression.fib(NfExpression.FIB_SADDR, NfExpression.FIB_RESULT_OIF, REG_1)))
                .extracting(NfExpression::toString).containsExactly(
                        "meta iifname => reg 1",
                        "meta oif => reg 9",
                        "meta protocol => reg 1",
                        "meta l4proto => reg 1",
                        "meta nfproto => reg 1",
                        "meta pkttype => reg 1",
                        "ct state => reg 1",
                        "payload load 4b @ network + 12 => reg 1",
                        "payload load 2b @ link + 12 => reg 1",
                        "payload load 2b @ transport + 2 => reg 1",
                        "numgen random mod 1000 => reg 1",
                        "fib daddr . iif type => reg 1",
                        "fib saddr oif => reg 1");
    }

    @Test
    void comparisonsShowNamesInQuotesAndOtherValuesAsHexInWireOrder() {
        assertThat(List.of(
                NfExpression.cmpEq(REG_1, NfExpression.interfaceName("uplink")),
                NfExpression.cmpNeq(REG_1, NfExpression.hostU32(3)),
                NfExpression.cmp(NfExpression.CMP_LT, REG_1, NfExpression.be32(300)),
                NfExpression.cmp(NfExpression.CMP_LTE, REG_1, new byte[] {1}),
                NfExpression.cmp(NfExpression.CMP_GT, REG_1, NfExpression.be16(1000)),
                NfExpression.cmp(NfExpression.CMP_GTE, REG_1, NfExpression.be16(NfExpression.ETH_P_IPV6))))
                .extracting(NfExpression::toString).containsExactly(
                        "cmp eq reg 1 \"uplink\"",
                        "cmp neq reg 1 0x03000000",
                        "cmp lt reg 1 0x0000012c",
                        "cmp lte reg 1 0x01",
                        "cmp gt reg 1 0x03e8",
                        "cmp gte reg 1 0x86dd");
    }

    @Test
    void verdictsReadAsNftWritesThem() {
        assertThat(List.of(
                NfExpression.verdict(NfExpression.VERDICT_ACCEPT),
                NfExpression.verdict(NfExpression.VERDICT_DROP),
                NfExpression.verdict(NfExpression.VERDICT_CONTINUE),
                NfExpression.verdict(NfExpression.VERDICT_RETURN),
                NfExpression.jump("node-a"),
                NfExpression.goTo("node-b")))
                .extracting(NfExpression::toString)
                .containsExactly("accept", "drop", "continue", "return", "jump node-a", "goto node-b");
    }

    @Test
    void setLookupsNameTheSetAndWhetherTheyAreInverted() {
        assertThat(NfExpression.lookup("blocked", 8, false)).hasToString("lookup reg 8 set blocked");
        assertThat(NfExpression.lookup("allowed", REG_1, true)).hasToString("lookup reg 1 set allowed invert");
    }

    @Test
    void aRandomThresholdIsNumgenByteorderAndLessThan() {
        assertThat(NfExpression.numgenRandomBelow(1000, 300, REG_1)).extracting(NfExpression::toString).containsExactly(
                "numgen random mod 1000 => reg 1",
                "byteorder reg 1 = hton(reg 1, 4, 4)",
                "cmp lt reg 1 0x0000012c");
    }

    @Test
    void statementsWithoutRegistersReadAsStatements() {
        assertThat(List.of(
                NfExpression.counter(),
                NfExpression.masquerade(),
                NfExpression.mask(REG_1, Hex.bytes("ffffff00")),
                NfExpression.reject(NfExpression.REJECT_TCP_RST, 0),
                NfExpression.reject(NfExpression.REJECT_ICMPX_UNREACH, NfExpression.ICMPX_PORT_UNREACH),
                NfExpression.reject(NfExpression.REJECT_ICMP_UNREACH, 13)))
                .extracting(NfExpression::toString).containsExactly(
                        "counter",
                        "masq",
                        "bitwise reg 1 = (reg 1 & 0xffffff00) ^ 0x00000000",
                        "reject tcp reset",
                        "reject icmpx port-unreachable",
                        "reject icmp code 13");
    }

    @Test
    void theNfqueueTargetShowsItsQueuesAndFlagsAndOtherTargetsTheirInfo() {
        assertThat(NfExpression.nfqueue(5, 1, NfExpression.NFQ_FLAG_BYPASS))
                .hasToString("xt target NFQUEUE rev 3 queue num 5 total 1 bypass");
        assertThat(NfExpression.nfqueue(0, 4, NfExpression.NFQ_FLAG_BYPASS | NfExpression.NFQ_FLAG_CPU_FANOUT))
                .hasToString("xt target NFQUEUE rev 3 queue num 0 total 4 bypass fanout");
        assertThat(NfExpression.target("MARK", 2, Hex.bytes("01000000 ffffffff")))
                .hasToString("xt target MARK rev 2 info 0x01000000ffffffff");
    }

    @Test
    void fourByteRegistersAreNumberedAfterTheSixteenByteOnes() {
        assertThat(NfExpression.reg32(0)).isEqualTo(NfExpression.REG32_00).isEqualTo(8);
        assertThat(NfExpression.reg32(15)).isEqualTo(23);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NfExpression.reg32(16))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("4-byte register 16 does not exist: 0 to 15");
    }

    @Test
    void aConcatenatedKeyTakesWholeRegistersPerField() {
        NfSetKey pair = NfSetKey.IFINDEX.concat(NfSetKey.IFINDEX);
        NfSetKey addressAndPort = NfSetKey.IPV4_ADDR.concat(NfSetKey.INET_SERVICE);

        assertThat(pair).extracting(NfSetKey::type, NfSetKey::length, NfSetKey::fieldLengths)
                .containsExactly(1300, 8, List.of(4, 4));
        assertThat(addressAndPort).extracting(NfSetKey::type, NfSetKey::length, NfSetKey::fieldLengths)
                .containsExactly(461, 8, List.of(4, 2));
        assertThat(NfSetKey.typeName(1300)).isEqualTo("iface_index . iface_index");
        assertThat(NfSetKey.typeName(NfSetKey.IPV6_ADDR.type())).isEqualTo("ipv6_addr");
        assertThat(NfSetKey.ifindexes(3, 4)).isEqualTo(Hex.bytes("03000000 04000000"));
    }
}
