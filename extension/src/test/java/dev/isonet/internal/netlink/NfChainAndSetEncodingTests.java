package dev.isonet.internal.netlink;

import static dev.isonet.internal.netlink.Hex.assertBytes;
import static dev.isonet.internal.netlink.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Chains, rule flushes, sets and set elements, byte for byte against what nft 1.0.6 sent for the statement
 * in each comment (captured with strace in a throwaway namespace; there "va" had index 3 and "vb" index 2).
 * Differences everywhere: nft asks for no ACK (we set NLM_F_ACK, 0x4), and its sequence numbers differ.
 * Other differences are named where they occur; the kernel does not care about any of them.
 */
@GoldenBytes
class NfChainAndSetEncodingTests {
    private static final int SEQUENCE = 42;

    private static byte[] onlyRequestOf(NfTables.Batch batch) {
        assertThat(batch.requests()).hasSize(1);
        return batch.requests().get(0).message().toBytes(SEQUENCE);
    }

    private static NfTables.Batch batch() {
        return new NfTables(null).batch();
    }

    @Test
    void aBridgeBaseChainWithPolicyDropCarriesHookPriorityPolicyAndType() {
        // nft add chain bridge t output { type filter hook output priority -200; policy drop; }
        // nft's order: TABLE, NAME, TYPE, POLICY, HOOK.
        byte[] expected = bytes(
                "50000000",                   // nlmsg_len = 80
                "030a",                       // NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWCHAIN
                "0504",                       // REQUEST | ACK | CREATE (nft: REQUEST | CREATE)
                "2a000000", "00000000",       // seq, pid
                "07 00 0000",                 // nfgenmsg: NFPROTO_BRIDGE, NFNETLINK_V0, res_id 0
                "0600 0100", "74000000",      // NFTA_CHAIN_TABLE "t\0" + pad
                "0b00 0300", "6f757470757400 00", // NFTA_CHAIN_NAME "output\0" + pad
                "1400 0480",                  // NFTA_CHAIN_HOOK | NLA_F_NESTED, 20
                "0800 0100", "00000003",      //   NFTA_HOOK_HOOKNUM = NF_BR_LOCAL_OUT
                "0800 0200", "ffffff38",      //   NFTA_HOOK_PRIORITY = -200 (NF_BR_PRI_FILTER_BRIDGED)
                "0800 0500", "00000000",      // NFTA_CHAIN_POLICY = NF_DROP
                "0b00 0700", "66696c74657200 00"); // NFTA_CHAIN_TYPE "filter\0" + pad

        assertBytes(onlyRequestOf(batch().chainAdd(NfTables.FAMILY_BRIDGE, "t", "output", "filter",
                NfTables.HOOK_OUTPUT, NfTables.BRIDGE_PRIORITY_FILTER, NfExpression.VERDICT_DROP)), expected);
    }

    @Test
    void aBridgeForwardChainAcceptsByDefault() {
        // nft add chain bridge t input { type filter hook input priority -200; policy accept; }
        byte[] expected = bytes(
                "50000000", "030a", "0504", "2a000000", "00000000", // nlmsghdr: 80, NEWCHAIN, REQUEST|ACK|CREATE
                "07 00 0000",                 // nfgenmsg: NFPROTO_BRIDGE
                "0600 0100", "74000000",      // NFTA_CHAIN_TABLE "t"
                "0a00 0300", "696e707574 000000", // NFTA_CHAIN_NAME "input\0" + pad
                "1400 0480",                  // NFTA_CHAIN_HOOK
                "0800 0100", "00000001",      //   NFTA_HOOK_HOOKNUM = NF_BR_LOCAL_IN
                "0800 0200", "ffffff38",      //   NFTA_HOOK_PRIORITY = -200
                "0800 0500", "00000001",      // NFTA_CHAIN_POLICY = NF_ACCEPT
                "0b00 0700", "66696c74657200 00"); // NFTA_CHAIN_TYPE "filter"

        assertBytes(onlyRequestOf(batch().chainAdd(NfTables.FAMILY_BRIDGE, "t", "input", "filter",
                NfTables.HOOK_INPUT, NfTables.BRIDGE_PRIORITY_FILTER)), expected);
    }

    @Test
    void aRegularChainHasOnlyItsTableAndName() {
        // nft add chain bridge t node_a
        byte[] expected = bytes(
                "28000000",                   // nlmsg_len = 40
                "030a",                       // NFT_MSG_NEWCHAIN
                "0504",                       // REQUEST | ACK | CREATE (nft: REQUEST | CREATE)
                "2a000000", "00000000",       // seq, pid
                "07 00 0000",                 // nfgenmsg: NFPROTO_BRIDGE
                "0600 0100", "74000000",      // NFTA_CHAIN_TABLE "t"
                "0b00 0300", "6e6f64655f6100 00"); // NFTA_CHAIN_NAME "node_a\0" + pad

        assertBytes(onlyRequestOf(batch().chainAdd(NfTables.FAMILY_BRIDGE, "t", "node_a")), expected);
    }

    @Test
    void aChainFlushIsARuleDeleteWithTableAndChainAndNoHandle() {
        // nft flush chain bridge t node_a
        byte[] expected = bytes(
                "28000000",                   // nlmsg_len = 40
                "080a",                       // NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_DELRULE
                "0500",                       // REQUEST | ACK (nft: REQUEST)
                "2a000000", "00000000",       // seq, pid
                "07 00 0000",                 // nfgenmsg: NFPROTO_BRIDGE
                "0600 0100", "74000000",      // NFTA_RULE_TABLE "t"
                "0b00 0200", "6e6f64655f6100 00"); // NFTA_RULE_CHAIN "node_a"

        assertBytes(onlyRequestOf(batch().chainFlush(NfTables.FAMILY_BRIDGE, "t", "node_a")), expected);
    }

    @Test
    void aChainIsDeletedByTableAndName() {
        // nft delete chain bridge t node_a
        byte[] expected = bytes(
                "28000000",                   // nlmsg_len = 40
                "050a",                       // NFT_MSG_DELCHAIN
                "0500",                       // REQUEST | ACK (nft: REQUEST)
                "2a000000", "00000000",       // seq, pid
                "07 00 0000",                 // nfgenmsg: NFPROTO_BRIDGE
                "0600 0100", "74000000",      // NFTA_CHAIN_TABLE "t"
                "0b00 0300", "6e6f64655f6100 00"); // NFTA_CHAIN_NAME "node_a"

        assertBytes(onlyRequestOf(batch().chainDel(NfTables.FAMILY_BRIDGE, "t", "node_a")), expected);
    }

    @Test
    void aRuleIsDeletedByItsBigEndianHandle() {
        // nft delete rule bridge t forward handle 6
        byte[] expected = bytes(
                "34000000",                   // nlmsg_len = 52
                "080a",                       // NFT_MSG_DELRULE
                "0500",                       // REQUEST | ACK (nft: REQUEST)
                "2a000000", "00000000",       // seq, pid
                "07 00 0000",                 // nfgenmsg: NFPROTO_BRIDGE
                "0600 0100", "74000000",      // NFTA_RULE_TABLE "t"
                "0c00 0200", "666f727761726400", // NFTA_RULE_CHAIN "forward"
                "0c00 0300", "0000000000000006"); // NFTA_RULE_HANDLE = 6, big-endian u64

        assertBytes(onlyRequestOf(batch().ruleDel(NfTables.FAMILY_BRIDGE, "t", "forward", 6)), expected);
    }

    @Test
    void aSetOfInterfacePairsHasAConcatenatedKeyTypeOfEightBytes() {
        // nft add set bridge t blocked { type iface_index . iface_index; }
        // nft also sends NFTA_SET_USERDATA (its own notes for printing: key byte order, field types), 20 bytes.
        // Without intervals nft sends no NFTA_SET_DESC, and neither does this.
        byte[] expected = bytes(
                "48000000",                   // nlmsg_len = 72 (nft: 92, with the userdata)
                "090a",                       // NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWSET
                "0504",                       // REQUEST | ACK | CREATE (nft: REQUEST | CREATE)
                "2a000000", "00000000",       // seq, pid
                "07 00 0000",                 // nfgenmsg: NFPROTO_BRIDGE
                "0600 0100", "74000000",      // NFTA_SET_TABLE "t"
                "0c00 0200", "626c6f636b656400", // NFTA_SET_NAME "blocked\0"
                "0800 0300", "00000000",      // NFTA_SET_FLAGS = 0
                "0800 0400", "00000514",      // NFTA_SET_KEY_TYPE = TYPE_IFINDEX << 6 | TYPE_IFINDEX (20, 20)
                "0800 0500", "00000008",      // NFTA_SET_KEY_LEN = 8
                "0800 0a00", "00000001");     // NFTA_SET_ID = 1, the batch's first set

        assertBytes(onlyRequestOf(batch().setAdd(NfTables.FAMILY_BRIDGE, "t", "blocked",
                NfSetKey.IFINDEX.concat(NfSetKey.IFINDEX), 0)), expected);
    }

    @Test
    void aConcatenatedIntervalSetCarriesItsFieldLengthsAsNftSendsThem() {
        // nft add set inet f r { type ipv4_addr . inet_service; flags interval; }
        // (nft also sends its NFTA_SET_USERDATA, 20 bytes, after the description)
        byte[] expected = bytes(
                "64000000",                   // nlmsg_len = 100 (nft: 120)
                "090a", "0504",               // NFT_MSG_NEWSET, REQUEST | ACK | CREATE
                "2a000000", "00000000",       // seq, pid
                "01 00 0000",                 // nfgenmsg: NFPROTO_INET
                "0600 0100", "66000000",      // NFTA_SET_TABLE "f"
                "0600 0200", "72000000",      // NFTA_SET_NAME "r"
                "0800 0300", "00000084",      // NFTA_SET_FLAGS = NFT_SET_INTERVAL | NFT_SET_CONCAT
                "0800 0400", "000001cd",      // NFTA_SET_KEY_TYPE = TYPE_IPADDR << 6 | TYPE_INET_SERVICE (7, 13)
                "0800 0500", "00000008",      // NFTA_SET_KEY_LEN = 4 + 2 rounded up to a register: 8
                "0800 0a00", "00000001",      // NFTA_SET_ID = 1
                "2000 0980",                  // NFTA_SET_DESC | NLA_F_NESTED, 32
                "1c00 0280",                  //  NFTA_SET_DESC_CONCAT, 28
                "0c00 0180",                  //   NFTA_LIST_ELEM, 12
                "0800 0100", "00000004",      //    NFTA_SET_FIELD_LEN = 4 (ipv4_addr)
                "0c00 0180",                  //   NFTA_LIST_ELEM, 12
                "0800 0100", "00000002");     //    NFTA_SET_FIELD_LEN = 2 (inet_service)

        assertBytes(onlyRequestOf(batch().setAdd(NfTables.FAMILY_INET, "f", "r",
                NfSetKey.IPV4_ADDR.concat(NfSetKey.INET_SERVICE), NfTables.SET_F_INTERVAL)), expected);
    }

    @Test
    void eachSetOfABatchGetsItsOwnId() {
        NfTables.Batch batch = batch()
                .setAdd(NfTables.FAMILY_BRIDGE, "t", "a", NfSetKey.IFINDEX, 0)
                .setAdd(NfTables.FAMILY_BRIDGE, "t", "b", NfSetKey.IFINDEX, 0);

        byte[] second = batch.requests().get(1).message().toBytes(SEQUENCE);
        // nlmsghdr 16, nfgenmsg 4, TABLE 8, NAME "b" 8, FLAGS 8, KEY_TYPE 8, KEY_LEN 8, then the id
        int id = 16 + 4 + 8 + 8 + 8 + 8 + 8;
        assertBytes(java.util.Arrays.copyOfRange(second, id, id + 8), bytes("0800 0a00", "00000002"));
    }

    @Test
    void elementsAreAddedAsHostEndianInterfaceIndexPairs() {
        // nft add element bridge t blocked { "va" . "vb", "vb" . "va" }
        // nft also sends NFTA_SET_ELEM_LIST_SET_ID = 1 (8 bytes); the kernel finds the set by name first.
        byte[] expected = bytes(
                "54000000",                   // nlmsg_len = 84 (nft: 92)
                "0c0a",                       // NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWSETELEM
                "0504",                       // REQUEST | ACK | CREATE (nft: REQUEST | CREATE)
                "2a000000", "00000000",       // seq, pid
                "07 00 0000",                 // nfgenmsg: NFPROTO_BRIDGE
                "0600 0100", "74000000",      // NFTA_SET_ELEM_LIST_TABLE "t"
                "0c00 0200", "626c6f636b656400", // NFTA_SET_ELEM_LIST_SET "blocked"
                "2c00 0380",                  // NFTA_SET_ELEM_LIST_ELEMENTS | NLA_F_NESTED, 44
                "1400 0180",                  //  element 1 (nft numbers them), 20
                "1000 0180",                  //   NFTA_SET_ELEM_KEY, 16
                "0c00 0100", "03000000 02000000", // NFTA_DATA_VALUE: ifindex 3 . ifindex 2, host-endian
                "1400 0280",                  //  element 2
                "1000 0180",                  //   NFTA_SET_ELEM_KEY
                "0c00 0100", "02000000 03000000"); // NFTA_DATA_VALUE: 2 . 3

        assertBytes(onlyRequestOf(batch().setElementsAdd(NfTables.FAMILY_BRIDGE, "t", "blocked",
                List.of(NfSetKey.ifindexes(3, 2), NfSetKey.ifindexes(2, 3)))), expected);
    }

    @Test
    void elementsAreDeletedByTheirKeys() {
        // nft delete element bridge t blocked { "va" . "vb" }
        byte[] expected = bytes(
                "40000000",                   // nlmsg_len = 64
                "0e0a",                       // NFT_MSG_DELSETELEM
                "0500",                       // REQUEST | ACK (nft: REQUEST)
                "2a000000", "00000000",       // seq, pid
                "07 00 0000",                 // nfgenmsg: NFPROTO_BRIDGE
                "0600 0100", "74000000",      // NFTA_SET_ELEM_LIST_TABLE "t"
                "0c00 0200", "626c6f636b656400", // NFTA_SET_ELEM_LIST_SET "blocked"
                "1800 0380",                  // NFTA_SET_ELEM_LIST_ELEMENTS, 24
                "1400 0180",                  //  element 1
                "1000 0180",                  //   NFTA_SET_ELEM_KEY
                "0c00 0100", "03000000 02000000"); // NFTA_DATA_VALUE 3 . 2

        assertBytes(onlyRequestOf(batch().setElementsDel(NfTables.FAMILY_BRIDGE, "t", "blocked",
                List.of(NfSetKey.ifindexes(3, 2)))), expected);
    }

    @Test
    void aSetFlushIsAnElementDeleteWithNoElements() {
        // nft flush set bridge t blocked (nft writes SET before TABLE)
        byte[] expected = bytes(
                "28000000",                   // nlmsg_len = 40
                "0e0a",                       // NFT_MSG_DELSETELEM
                "0500",                       // REQUEST | ACK (nft: REQUEST)
                "2a000000", "00000000",       // seq, pid
                "07 00 0000",                 // nfgenmsg: NFPROTO_BRIDGE
                "0600 0100", "74000000",      // NFTA_SET_ELEM_LIST_TABLE "t"
                "0c00 0200", "626c6f636b656400"); // NFTA_SET_ELEM_LIST_SET "blocked"

        assertBytes(onlyRequestOf(batch().setFlush(NfTables.FAMILY_BRIDGE, "t", "blocked")), expected);
    }

    @Test
    void aSetIsDeletedByTableAndName() {
        // nft delete set inet f r
        byte[] expected = bytes(
                "24000000",                   // nlmsg_len = 36
                "0b0a",                       // NFT_MSG_DELSET
                "0500",                       // REQUEST | ACK (nft: REQUEST)
                "2a000000", "00000000",       // seq, pid
                "01 00 0000",                 // nfgenmsg: NFPROTO_INET
                "0600 0100", "66000000",      // NFTA_SET_TABLE "f"
                "0600 0200", "72000000");     // NFTA_SET_NAME "r"

        assertBytes(onlyRequestOf(batch().setDel(NfTables.FAMILY_INET, "f", "r")), expected);
    }

    @Test
    void setAndElementChangesNameTheirObjectInErrors() {
        NfTables.Batch batch = batch()
                .setAdd(NfTables.FAMILY_BRIDGE, "t", "blocked", NfSetKey.IFINDEX.concat(NfSetKey.IFINDEX), 0)
                .setElementsAdd(NfTables.FAMILY_BRIDGE, "t", "blocked", List.of(NfSetKey.ifindexes(3, 2)))
                .setFlush(NfTables.FAMILY_BRIDGE, "t", "blocked");

        assertThat(batch.requests()).extracting(Request::operation, Request::object).containsExactly(
                org.assertj.core.groups.Tuple.tuple("add nf_tables set",
                        "bridge t blocked { type iface_index . iface_index; }"),
                org.assertj.core.groups.Tuple.tuple("add nf_tables set elements", "bridge t blocked { 0x0300000002000000 }"),
                org.assertj.core.groups.Tuple.tuple("flush nf_tables set", "bridge t blocked"));
    }
}
