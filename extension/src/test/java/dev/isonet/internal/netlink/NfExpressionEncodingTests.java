package dev.isonet.internal.netlink;

import static dev.isonet.internal.netlink.Hex.assertBytes;
import static dev.isonet.internal.netlink.Hex.bytes;
import static dev.isonet.internal.netlink.NfExpression.REG32_01;
import static dev.isonet.internal.netlink.NfExpression.REG_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rules with the newer expressions, byte for byte against what nft 1.0.6 (and, for the xtables target,
 * iptables-nft 1.8.9) sent for the statement in each comment, captured with strace in a throwaway namespace
 * where "va" had index 3. Differences everywhere: we set NLM_F_ACK (nft: REQUEST | CREATE | APPEND only),
 * and write meta's DREG before its KEY (nft: KEY, DREG); the kernel reads attributes by type, not order.
 * Other differences are named where they occur.
 */
@GoldenBytes
class NfExpressionEncodingTests {
    private static final int SEQUENCE = 42;
    /** nlmsghdr flags of every rule: REQUEST | ACK | CREATE | APPEND. */
    private static final String RULE_FLAGS = "050c";

    private static byte[] rule(int family, String table, String chain, List<NfExpression> expressions) {
        NfTables.Batch batch = new NfTables(null).batch().ruleAdd(family, table, chain, expressions);
        return batch.requests().get(0).message().toBytes(SEQUENCE);
    }

    private static List<NfExpression> with(List<NfExpression> first, NfExpression... more) {
        List<NfExpression> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    private static final String[] DROP = {
            "3000 0180",                  //  NFTA_LIST_ELEM, 48
            "0e00 0100", "696d6d65646961746500 0000", // NFTA_EXPR_NAME "immediate"
            "1c00 0280",                  //   NFTA_EXPR_DATA, 28
            "0800 0100", "00000000",      //    NFTA_IMMEDIATE_DREG = NFT_REG_VERDICT
            "1000 0280",                  //    NFTA_IMMEDIATE_DATA, 16
            "0c00 0280",                  //     NFTA_DATA_VERDICT, 12
            "0800 0100", "00000000"};     //      NFTA_VERDICT_CODE = NF_DROP

    private static final String[] ACCEPT = Arrays.copyOf(DROP, DROP.length);

    static {
        ACCEPT[ACCEPT.length - 1] = "00000001"; // NF_ACCEPT
    }

    private static String[] concat(String[]... parts) {
        return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
    }

    @Test
    void aPairOfInterfacesIsLookedUpInANamedSet() {
        // nft add rule bridge t forward meta iif . meta oif @blocked drop
        // nft also sends NFTA_LOOKUP_SET_ID = 1 (8 bytes); the kernel finds a named set by its name first.
        byte[] expected = bytes(concat(new String[] {
                "cc000000",                   // nlmsg_len = 204 (nft: 212)
                "060a", RULE_FLAGS,           // NFT_MSG_NEWRULE
                "2a000000", "00000000",       // seq, pid
                "07 00 0000",                 // nfgenmsg: NFPROTO_BRIDGE
                "0600 0100", "74000000",      // NFTA_RULE_TABLE "t"
                "0c00 0200", "666f727761726400", // NFTA_RULE_CHAIN "forward"
                "a400 0480",                  // NFTA_RULE_EXPRESSIONS, 164
                "2400 0180",                  //  NFTA_LIST_ELEM, 36
                "0900 0100", "6d65746100 000000", // NFTA_EXPR_NAME "meta"
                "1400 0280",                  //   NFTA_EXPR_DATA, 20
                "0800 0100", "00000001",      //    NFTA_META_DREG = NFT_REG_1 (= NFT_REG32_00)
                "0800 0200", "00000004",      //    NFTA_META_KEY = NFT_META_IIF
                "2400 0180",                  //  NFTA_LIST_ELEM, 36
                "0900 0100", "6d65746100 000000", // NFTA_EXPR_NAME "meta"
                "1400 0280",                  //   NFTA_EXPR_DATA, 20
                "0800 0100", "00000009",      //    NFTA_META_DREG = NFT_REG32_01, right after iif
                "0800 0200", "00000005",      //    NFTA_META_KEY = NFT_META_OIF
                "2800 0180",                  //  NFTA_LIST_ELEM, 40 (nft: 48)
                "0b00 0100", "6c6f6f6b757000 00", // NFTA_EXPR_NAME "lookup"
                "1800 0280",                  //   NFTA_EXPR_DATA, 24
                "0800 0200", "00000001",      //    NFTA_LOOKUP_SREG = NFT_REG_1: the 8-byte key starts there
                "0c00 0100", "626c6f636b656400"}, // NFTA_LOOKUP_SET "blocked"
                DROP));

        assertBytes(rule(NfTables.FAMILY_BRIDGE, "t", "forward", List.of(
                NfExpression.meta(NfExpression.META_IIF, REG_1),
                NfExpression.meta(NfExpression.META_OIF, REG32_01),
                NfExpression.lookup("blocked", REG_1, false),
                NfExpression.verdict(NfExpression.VERDICT_DROP))), expected);
    }

    @Test
    void anInvertedLookupCarriesTheInvertFlag() {
        byte[] wire = rule(NfTables.FAMILY_BRIDGE, "t", "forward", List.of(NfExpression.lookup("s", REG_1, true)));

        // … NFTA_LOOKUP_SREG, NFTA_LOOKUP_SET "s", then:
        assertBytes(Arrays.copyOfRange(wire, wire.length - 8, wire.length),
                bytes("0800 0500", "00000001")); // NFTA_LOOKUP_FLAGS = NFT_LOOKUP_F_INV
    }

    @Test
    void randomLossOnOnePortIsNumgenByteorderAndALessThanComparison() {
        // nft add rule bridge t forward meta iif "va" numgen random mod 1000 < 300 drop
        byte[] expected = bytes(concat(new String[] {
                "4c010000",                   // nlmsg_len = 332, as nft
                "060a", RULE_FLAGS,           // NFT_MSG_NEWRULE
                "2a000000", "00000000",       // seq, pid
                "07 00 0000",                 // nfgenmsg: NFPROTO_BRIDGE
                "0600 0100", "74000000",      // NFTA_RULE_TABLE "t"
                "0c00 0200", "666f727761726400", // NFTA_RULE_CHAIN "forward"
                "2401 0480",                  // NFTA_RULE_EXPRESSIONS, 292
                "2400 0180",                  //  NFTA_LIST_ELEM, 36
                "0900 0100", "6d65746100 000000", // NFTA_EXPR_NAME "meta"
                "1400 0280",                  //   NFTA_EXPR_DATA
                "0800 0100", "00000001",      //    NFTA_META_DREG = NFT_REG_1
                "0800 0200", "00000004",      //    NFTA_META_KEY = NFT_META_IIF
                "2c00 0180",                  //  NFTA_LIST_ELEM, 44
                "0800 0100", "636d7000",      //   NFTA_EXPR_NAME "cmp"
                "2000 0280",                  //   NFTA_EXPR_DATA, 32
                "0800 0100", "00000001",      //    NFTA_CMP_SREG = NFT_REG_1
                "0800 0200", "00000000",      //    NFTA_CMP_OP = NFT_CMP_EQ
                "0c00 0380",                  //    NFTA_CMP_DATA
                "0800 0100", "03000000",      //     NFTA_DATA_VALUE ifindex 3, host-endian
                "3400 0180",                  //  NFTA_LIST_ELEM, 52
                "0b00 0100", "6e756d67656e00 00", // NFTA_EXPR_NAME "numgen"
                "2400 0280",                  //   NFTA_EXPR_DATA, 36
                "0800 0100", "00000001",      //    NFTA_NG_DREG = NFT_REG_1
                "0800 0200", "000003e8",      //    NFTA_NG_MODULUS = 1000
                "0800 0300", "00000001",      //    NFTA_NG_TYPE = NFT_NG_RANDOM
                "0800 0400", "00000000",      //    NFTA_NG_OFFSET = 0
                "4000 0180",                  //  NFTA_LIST_ELEM, 64
                "0e00 0100", "627974656f7264657200 0000", // NFTA_EXPR_NAME "byteorder"
                "2c00 0280",                  //   NFTA_EXPR_DATA, 44
                "0800 0100", "00000001",      //    NFTA_BYTEORDER_SREG = NFT_REG_1
                "0800 0200", "00000001",      //    NFTA_BYTEORDER_DREG = NFT_REG_1
                "0800 0300", "00000001",      //    NFTA_BYTEORDER_OP = NFT_BYTEORDER_HTON
                "0800 0400", "00000004",      //    NFTA_BYTEORDER_LEN = 4
                "0800 0500", "00000004",      //    NFTA_BYTEORDER_SIZE = 4
                "2c00 0180",                  //  NFTA_LIST_ELEM, 44
                "0800 0100", "636d7000",      //   NFTA_EXPR_NAME "cmp"
                "2000 0280",                  //   NFTA_EXPR_DATA
                "0800 0100", "00000001",      //    NFTA_CMP_SREG = NFT_REG_1
                "0800 0200", "00000002",      //    NFTA_CMP_OP = NFT_CMP_LT
                "0c00 0380",                  //    NFTA_CMP_DATA
                "0800 0100", "0000012c"},     //     NFTA_DATA_VALUE 300, big-endian (compared like memcmp)
                DROP));

        List<NfExpression> rule = new ArrayList<>(List.of(
                NfExpression.meta(NfExpression.META_IIF, REG_1),
                NfExpression.cmpEq(REG_1, NfExpression.hostU32(3))));
        rule.addAll(NfExpression.numgenRandomBelow(1000, 300, REG_1));
        rule.add(NfExpression.verdict(NfExpression.VERDICT_DROP));
        assertBytes(rule(NfTables.FAMILY_BRIDGE, "t", "forward", rule), expected);
    }

    @Test
    void arpIsMatchedByItsEtherTypeInTheLinkLayerHeader() {
        // nft add rule bridge t forward ether type arp accept (identical apart from the flags)
        byte[] expected = bytes(concat(new String[] {
                "bc000000",                   // nlmsg_len = 188
                "060a", RULE_FLAGS,
                "2a000000", "00000000",
                "07 00 0000",                 // nfgenmsg: NFPROTO_BRIDGE
                "0600 0100", "74000000",      // NFTA_RULE_TABLE "t"
                "0c00 0200", "666f727761726400", // NFTA_RULE_CHAIN "forward"
                "9400 0480",                  // NFTA_RULE_EXPRESSIONS, 148
                "3400 0180",                  //  NFTA_LIST_ELEM, 52
                "0c00 0100", "7061796c6f616400", // NFTA_EXPR_NAME "payload"
                "2400 0280",                  //   NFTA_EXPR_DATA
                "0800 0100", "00000001",      //    NFTA_PAYLOAD_DREG = NFT_REG_1
                "0800 0200", "00000000",      //    NFTA_PAYLOAD_BASE = NFT_PAYLOAD_LL_HEADER
                "0800 0300", "0000000c",      //    NFTA_PAYLOAD_OFFSET = 12 (ethhdr.h_proto)
                "0800 0400", "00000002",      //    NFTA_PAYLOAD_LEN = 2
                "2c00 0180",                  //  NFTA_LIST_ELEM, 44
                "0800 0100", "636d7000",      //   NFTA_EXPR_NAME "cmp"
                "2000 0280",
                "0800 0100", "00000001",      //    NFTA_CMP_SREG = NFT_REG_1
                "0800 0200", "00000000",      //    NFTA_CMP_OP = NFT_CMP_EQ
                "0c00 0380",
                "0600 0100", "0806 0000"},    //     NFTA_DATA_VALUE ETH_P_ARP, big-endian, + pad
                ACCEPT));

        assertBytes(rule(NfTables.FAMILY_BRIDGE, "t", "forward", List.of(
                NfExpression.payload(NfExpression.PAYLOAD_LINK_HEADER, 12, 2, REG_1),
                NfExpression.cmpEq(REG_1, NfExpression.be16(NfExpression.ETH_P_ARP)),
                NfExpression.verdict(NfExpression.VERDICT_ACCEPT))), expected);
    }

    @Test
    void aJumpNamesItsChainInTheVerdict() {
        // nft add rule bridge t forward counter jump node_a
        // nft sends counter with an empty NFTA_EXPR_DATA (4 bytes); we send none, as before.
        byte[] expected = bytes(
                "78000000",                   // nlmsg_len = 120 (nft: 124)
                "060a", RULE_FLAGS,
                "2a000000", "00000000",
                "07 00 0000",
                "0600 0100", "74000000",      // NFTA_RULE_TABLE "t"
                "0c00 0200", "666f727761726400", // NFTA_RULE_CHAIN "forward"
                "5000 0480",                  // NFTA_RULE_EXPRESSIONS, 80
                "1000 0180",                  //  NFTA_LIST_ELEM, 16
                "0c00 0100", "636f756e74657200", // NFTA_EXPR_NAME "counter"
                "3c00 0180",                  //  NFTA_LIST_ELEM, 60
                "0e00 0100", "696d6d65646961746500 0000", // NFTA_EXPR_NAME "immediate"
                "2800 0280",                  //   NFTA_EXPR_DATA, 40
                "0800 0100", "00000000",      //    NFTA_IMMEDIATE_DREG = NFT_REG_VERDICT
                "1c00 0280",                  //    NFTA_IMMEDIATE_DATA, 28
                "1800 0280",                  //     NFTA_DATA_VERDICT, 24
                "0800 0100", "fffffffd",      //      NFTA_VERDICT_CODE = NFT_JUMP (-3)
                "0b00 0200", "6e6f64655f6100 00"); // NFTA_VERDICT_CHAIN "node_a"

        assertBytes(rule(NfTables.FAMILY_BRIDGE, "t", "forward",
                List.of(NfExpression.counter(), NfExpression.jump("node_a"))), expected);
    }

    @Test
    void aGotoIsAJumpThatDoesNotComeBack() {
        // nft add rule bridge t forward goto node_a (identical apart from the flags)
        byte[] expected = bytes(
                "68000000",                   // nlmsg_len = 104
                "060a", RULE_FLAGS,
                "2a000000", "00000000",
                "07 00 0000",
                "0600 0100", "74000000",
                "0c00 0200", "666f727761726400",
                "4000 0480",                  // NFTA_RULE_EXPRESSIONS, 64
                "3c00 0180",
                "0e00 0100", "696d6d65646961746500 0000",
                "2800 0280",
                "0800 0100", "00000000",
                "1c00 0280",
                "1800 0280",
                "0800 0100", "fffffffc",      //      NFTA_VERDICT_CODE = NFT_GOTO (-4)
                "0b00 0200", "6e6f64655f6100 00"); // NFTA_VERDICT_CHAIN "node_a"

        assertBytes(rule(NfTables.FAMILY_BRIDGE, "t", "forward", List.of(NfExpression.goTo("node_a"))), expected);
    }

    private static final String[] INET_F_C = {
            "01 00 0000",                     // nfgenmsg: NFPROTO_INET
            "0600 0100", "66000000",          // NFTA_RULE_TABLE "f"
            "0600 0200", "63000000"};         // NFTA_RULE_CHAIN "c"

    @Test
    void aLocalDestinationOnTheInputInterfaceIsFoundByFib() {
        // nft add rule inet f c fib daddr . iif type local drop (identical apart from the flags)
        byte[] expected = bytes(concat(new String[] {
                "ac000000", "060a", RULE_FLAGS, "2a000000", "00000000"}, // nlmsg_len = 172
                INET_F_C, new String[] {
                "8800 0480",                  // NFTA_RULE_EXPRESSIONS, 136
                "2800 0180",                  //  NFTA_LIST_ELEM, 40
                "0800 0100", "66696200",      //   NFTA_EXPR_NAME "fib"
                "1c00 0280",                  //   NFTA_EXPR_DATA, 28
                "0800 0300", "0000000a",      //    NFTA_FIB_FLAGS = NFTA_FIB_F_DADDR | NFTA_FIB_F_IIF
                "0800 0200", "00000003",      //    NFTA_FIB_RESULT = NFT_FIB_RESULT_ADDRTYPE
                "0800 0100", "00000001",      //    NFTA_FIB_DREG = NFT_REG_1
                "2c00 0180",
                "0800 0100", "636d7000",      //   NFTA_EXPR_NAME "cmp"
                "2000 0280",
                "0800 0100", "00000001",      //    NFTA_CMP_SREG
                "0800 0200", "00000000",      //    NFTA_CMP_OP = NFT_CMP_EQ
                "0c00 0380",
                "0800 0100", "02000000"},     //     NFTA_DATA_VALUE RTN_LOCAL, host-endian
                DROP));

        assertBytes(rule(NfTables.FAMILY_INET, "f", "c", List.of(
                NfExpression.fib(NfExpression.FIB_DADDR | NfExpression.FIB_IIF, NfExpression.FIB_RESULT_ADDRTYPE, REG_1),
                NfExpression.cmpEq(REG_1, NfExpression.hostU32(NfExpression.RTN_LOCAL)),
                NfExpression.verdict(NfExpression.VERDICT_DROP))), expected);
    }

    @Test
    void aLocalDestinationAnywhereIsFoundByFibWithoutTheInterface() {
        // nft add rule inet f c fib daddr type local accept: as above, with NFTA_FIB_FLAGS = NFTA_FIB_F_DADDR
        byte[] wire = rule(NfTables.FAMILY_INET, "f", "c", List.of(
                NfExpression.fib(NfExpression.FIB_DADDR, NfExpression.FIB_RESULT_ADDRTYPE, REG_1)));

        assertBytes(Arrays.copyOfRange(wire, wire.length - 28, wire.length), bytes(
                "1c00 0280",                  //   NFTA_EXPR_DATA, 28
                "0800 0300", "00000002",      //    NFTA_FIB_FLAGS = NFTA_FIB_F_DADDR
                "0800 0200", "00000003",      //    NFTA_FIB_RESULT = NFT_FIB_RESULT_ADDRTYPE
                "0800 0100", "00000001"));    //    NFTA_FIB_DREG = NFT_REG_1
    }

    @Test
    void tcpIsRejectedWithAResetAfterItsProtocolIsChecked() {
        // nft add rule inet f c meta l4proto tcp reject with tcp reset
        byte[] expected = bytes(concat(new String[] {
                "9c000000", "060a", RULE_FLAGS, "2a000000", "00000000"}, // nlmsg_len = 156, as nft
                INET_F_C, new String[] {
                "7800 0480",                  // NFTA_RULE_EXPRESSIONS, 120
                "2400 0180",
                "0900 0100", "6d65746100 000000", // NFTA_EXPR_NAME "meta"
                "1400 0280",
                "0800 0100", "00000001",      //    NFTA_META_DREG = NFT_REG_1
                "0800 0200", "00000010",      //    NFTA_META_KEY = NFT_META_L4PROTO
                "2c00 0180",
                "0800 0100", "636d7000",      //   NFTA_EXPR_NAME "cmp"
                "2000 0280",
                "0800 0100", "00000001",
                "0800 0200", "00000000",
                "0c00 0380",
                "0500 0100", "06 000000",     //     NFTA_DATA_VALUE IPPROTO_TCP, 1 byte + pad
                "2400 0180",                  //  NFTA_LIST_ELEM, 36
                "0b00 0100", "72656a65637400 00", // NFTA_EXPR_NAME "reject"
                "1400 0280",                  //   NFTA_EXPR_DATA, 20
                "0800 0100", "00000001",      //    NFTA_REJECT_TYPE = NFT_REJECT_TCP_RST
                "0500 0200", "00 000000"}));   //    NFTA_REJECT_ICMP_CODE = 0, a u8 + pad

        assertBytes(rule(NfTables.FAMILY_INET, "f", "c", List.of(
                NfExpression.meta(NfExpression.META_L4PROTO, REG_1),
                NfExpression.cmpEq(REG_1, new byte[] {NfExpression.IPPROTO_TCP}),
                NfExpression.reject(NfExpression.REJECT_TCP_RST, 0))), expected);
    }

    @Test
    void anyProtocolIsRejectedWithAnIcmpxCode() {
        // nft add rule inet f c reject with icmpx type admin-prohibited (identical apart from the flags)
        byte[] expected = bytes(concat(new String[] {
                "4c000000", "060a", RULE_FLAGS, "2a000000", "00000000"}, // nlmsg_len = 76
                INET_F_C, new String[] {
                "2800 0480",
                "2400 0180",
                "0b00 0100", "72656a65637400 00", // NFTA_EXPR_NAME "reject"
                "1400 0280",
                "0800 0100", "00000002",      //    NFTA_REJECT_TYPE = NFT_REJECT_ICMPX_UNREACH
                "0500 0200", "03 000000"}));   //    NFTA_REJECT_ICMP_CODE = NFT_REJECT_ICMPX_ADMIN_PROHIBITED

        assertBytes(rule(NfTables.FAMILY_INET, "f", "c", List.of(
                NfExpression.reject(NfExpression.REJECT_ICMPX_UNREACH, NfExpression.ICMPX_ADMIN_PROHIBITED))), expected);
    }

    @Test
    void packetTypeFamilyProtocolAndAPortRangeAreMatched() {
        // nft add rule inet f c meta pkttype broadcast meta nfproto ipv6 tcp dport > 1000 counter accept
        // (nft: counter with an empty data nest, 4 bytes more)
        String[] metaCmp = {
                "2400 0180",
                "0900 0100", "6d65746100 000000", // NFTA_EXPR_NAME "meta"
                "1400 0280",
                "0800 0100", "00000001",      //    NFTA_META_DREG = NFT_REG_1
                "0800 0200", "KEY",           //    NFTA_META_KEY
                "2c00 0180",
                "0800 0100", "636d7000",      //   NFTA_EXPR_NAME "cmp"
                "2000 0280",
                "0800 0100", "00000001",
                "0800 0200", "00000000",      //    NFTA_CMP_OP = NFT_CMP_EQ
                "0c00 0380",
                "0500 0100", "VALUE"};        //     NFTA_DATA_VALUE, 1 byte + pad
        byte[] expected = bytes(concat(new String[] {
                "b8010000", "060a", RULE_FLAGS, "2a000000", "00000000"}, // nlmsg_len = 440 (nft: 444)
                INET_F_C, new String[] {"9401 0480"}, // NFTA_RULE_EXPRESSIONS, 404
                replace(metaCmp, "00000013", "01 000000"), // meta pkttype (19) == PACKET_BROADCAST
                replace(metaCmp, "0000000f", "0a 000000"), // meta nfproto (15) == NFPROTO_IPV6
                replace(metaCmp, "00000010", "06 000000"), // meta l4proto (16) == IPPROTO_TCP
                new String[] {
                "3400 0180",
                "0c00 0100", "7061796c6f616400", // NFTA_EXPR_NAME "payload"
                "2400 0280",
                "0800 0100", "00000001",      //    NFTA_PAYLOAD_DREG = NFT_REG_1
                "0800 0200", "00000002",      //    NFTA_PAYLOAD_BASE = NFT_PAYLOAD_TRANSPORT_HEADER
                "0800 0300", "00000002",      //    NFTA_PAYLOAD_OFFSET = 2 (tcphdr.dest)
                "0800 0400", "00000002",      //    NFTA_PAYLOAD_LEN = 2
                "2c00 0180",
                "0800 0100", "636d7000",
                "2000 0280",
                "0800 0100", "00000001",
                "0800 0200", "00000004",      //    NFTA_CMP_OP = NFT_CMP_GT
                "0c00 0380",
                "0600 0100", "03e8 0000",     //     NFTA_DATA_VALUE 1000, big-endian
                "1000 0180",
                "0c00 0100", "636f756e74657200"}, // NFTA_EXPR_NAME "counter"
                ACCEPT));

        assertBytes(rule(NfTables.FAMILY_INET, "f", "c", List.of(
                NfExpression.meta(NfExpression.META_PKTTYPE, REG_1),
                NfExpression.cmpEq(REG_1, new byte[] {NfExpression.PACKET_BROADCAST}),
                NfExpression.meta(NfExpression.META_NFPROTO, REG_1),
                NfExpression.cmpEq(REG_1, new byte[] {NfExpression.NFPROTO_IPV6}),
                NfExpression.meta(NfExpression.META_L4PROTO, REG_1),
                NfExpression.cmpEq(REG_1, new byte[] {NfExpression.IPPROTO_TCP}),
                NfExpression.payload(NfExpression.PAYLOAD_TRANSPORT_HEADER, 2, 2, REG_1),
                NfExpression.cmp(NfExpression.CMP_GT, REG_1, NfExpression.be16(1000)),
                NfExpression.counter(),
                NfExpression.verdict(NfExpression.VERDICT_ACCEPT))), expected);
    }

    private static String[] replace(String[] template, String key, String value) {
        return Arrays.stream(template).map(f -> f.equals("KEY") ? key : f.equals("VALUE") ? value : f)
                .toArray(String[]::new);
    }

    @Test
    void theNfqueueTargetIsWrittenAsIptablesNftWritesIt() {
        // iptables-nft -A OUTPUT -j NFQUEUE --queue-num 5 --queue-bypass
        // iptables-nft also writes a counter (with zero BYTES and PACKETS) before the target, and the rule's
        // NFTA_RULE_COMPAT {PROTO 0, FLAGS 0}; nft_compat needs neither (NfTablesKernelTests commits this
        // target without them, in an inet table).
        byte[] expected = bytes(
                "64000000",                   // nlmsg_len = 100
                "060a", RULE_FLAGS,
                "2a000000", "00000000",
                "02 00 0000",                 // nfgenmsg: NFPROTO_IPV4
                "0b00 0100", "66696c74657200 00", // NFTA_RULE_TABLE "filter"
                "0b00 0200", "4f555450555400 00", // NFTA_RULE_CHAIN "OUTPUT"
                "3800 0480",                  // NFTA_RULE_EXPRESSIONS, 56
                "3400 0180",                  //  NFTA_LIST_ELEM, 52, as iptables-nft from here on
                "0b00 0100", "74617267657400 00", // NFTA_EXPR_NAME "target"
                "2400 0280",                  //   NFTA_EXPR_DATA, 36
                "0c00 0100", "4e46515545554500", // NFTA_TARGET_NAME "NFQUEUE"
                "0800 0200", "00000003",      //    NFTA_TARGET_REV = 3
                "0c00 0300",                  //    NFTA_TARGET_INFO, XT_ALIGN(sizeof(struct xt_NFQ_info_v3)) = 8
                "0500", "0100", "0100", "0000"); // queuenum 5, queues_total 1, flags NFQ_FLAG_BYPASS, pad

        assertBytes(rule(NfTables.FAMILY_IPV4, "filter", "OUTPUT",
                List.of(NfExpression.nfqueue(5, 1, NfExpression.NFQ_FLAG_BYPASS))), expected);
    }

    @Test
    void aRuleNamesItsExpressionsInErrors() {
        NfTables.Batch batch = new NfTables(null).batch().ruleAdd(NfTables.FAMILY_BRIDGE, "t", "forward", with(
                List.of(NfExpression.meta(NfExpression.META_IIFNAME, REG_1),
                        NfExpression.cmpEq(REG_1, NfExpression.interfaceName("uplink"))),
                NfExpression.verdict(NfExpression.VERDICT_DROP)));

        assertThat(batch.requests().get(0).object())
                .isEqualTo("bridge t forward: meta iifname => reg 1; cmp eq reg 1 \"uplink\"; drop");
    }
}
