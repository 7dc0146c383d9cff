package dev.isonet.internal.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.isonet.internal.netlink.GoldenBytes;
import dev.isonet.internal.netlink.NfTables;
import dev.isonet.internal.netlink.Request;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The delay table of a node namespace, byte for byte: made with one sender (MAC 02:00:0a:db:00:03) and the
 * node's own ingress delayed, then changed (only sets change). Each message is written out by hand, field by field, and was
 * checked against what nft 1.0.6 sends for {@code table inet isonet-delay { set senders { type ether_addr; };
 * chain prerouting { type filter hook prerouting priority -300; } }}, its element, and {@code meta iif eth0
 * ether saddr @senders}: the same attributes, except that nft puts a meta expression's key before its
 * register, adds an implicit {@code meta iiftype ether} before {@code ether saddr} (needless here: eth0 is a
 * veth), and sends set user data. The queue is the xt NFQUEUE target, as iptables-nft writes it (see
 * NfExpressionEncodingTests). No root needed.
 */
@GoldenBytes
class DelayTableEncodingTests {
    private static final int SEQUENCE = 42;
    private static final long MAC = 0x02000adb0003L;
    private static final DelayTable.Place NODE = DelayTable.Place.node(2);
    private static final DelayTable.Content SENDER_AND_INGRESS = new DelayTable.Content(new TreeSet<>(List.of(MAC)),
            true, false);

    /** nfgenmsg NFPROTO_INET, then NFTA_*_TABLE "isonet-delay": 4 + 13 bytes, padded to 20. */
    private static final String INET_TABLE = "01 00 0000 1100 0100 69736f6e65742d64656c617900 000000";
    /** NFTA_RULE_CHAIN "prerouting": 4 + 11 bytes, padded to 16. */
    private static final String PREROUTING = "0f00 0200 707265726f7574696e6700 00";
    /** {@code meta iif 2}: meta load of NFT_META_IIF, compared with 2 host-endian. */
    private static final String[] META_IIF_2 = {
            "2400 0180", "0900 0100", "6d65746100 000000", // "meta"
            "1400 0280", "0800 0100", "00000001",         //  NFTA_META_DREG = NFT_REG_1
            "0800 0200", "00000004",                      //  NFTA_META_KEY = NFT_META_IIF
            "2c00 0180", "0800 0100", "636d7000",         // "cmp"
            "2000 0280", "0800 0100", "00000001",         //  NFTA_CMP_SREG = NFT_REG_1
            "0800 0200", "00000000",                      //  NFTA_CMP_OP = NFT_CMP_EQ
            "0c00 0380", "0800 0100", "02000000"};        //  NFTA_CMP_DATA: value 2, host-endian
    /** {@code queue num 65001 bypass}, as iptables-nft writes {@code -j NFQUEUE --queue-num 65001 --queue-bypass}. */
    private static final String[] QUEUE = {
            "3400 0180", "0b00 0100", "7461726765740000",  // "target"
            "2400 0280", "0c00 0100", "4e46515545554500",  //  NFTA_TARGET_NAME "NFQUEUE"
            "0800 0200", "00000003",                       //  NFTA_TARGET_REV = 3
            "0c00 0300", "e9fd 0100 0100 0000"};           //  NFTA_TARGET_INFO: queuenum 65001, total 1, bypass

    private static byte[] bytes(String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String field : fields) {
            String digits = field.replace(" ", "");
            for (int i = 0; i < digits.length(); i += 2) {
                out.write(Integer.parseInt(digits.substring(i, i + 2), 16));
            }
        }
        return out.toByteArray();
    }

    private static String[] join(Object... parts) {
        List<String> all = new java.util.ArrayList<>();
        for (Object part : parts) {
            if (part instanceof String[] many) {
                all.addAll(List.of(many));
            } else {
                all.add((String) part);
            }
        }
        return all.toArray(String[]::new);
    }

    private static String dump(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            text.append(i % 16 == 0 ? (i == 0 ? "" : "\n") + String.format("%04x:", i) : "")
                    .append(i % 4 == 0 ? " " : "").append(String.format("%02x", bytes[i] & 0xff));
        }
        return text.toString();
    }

    private static void assertMessage(Request request, byte[] expected) {
        assertThat(dump(request.message().toBytes(SEQUENCE))).as(request.operation() + " " + request.object())
                .isEqualTo(dump(expected));
    }

    private static List<Request> prepare(DelayTable.Place place, DelayTable.Content content) {
        NfTables.Batch batch = new NfTables(null).batch();
        DelayTable.prepare(batch, place, content);
        return batch.requests();
    }

    @Test
    void aNodeTableIsMadeWithItsSetsChainRulesAndContentsInOneBatch() {
        List<Request> batch = prepare(NODE, SENDER_AND_INGRESS);

        assertThat(batch).extracting(Request::operation, Request::object).containsExactly(
                tuple("add nf_tables table", "inet isonet-delay"),
                tuple("add nf_tables set", "inet isonet-delay senders { type ether_addr; }"),
                tuple("add nf_tables set", "inet isonet-delay delayed_in { type iface_index; }"),
                tuple("add nf_tables chain", "inet isonet-delay prerouting"),
                tuple("add nf_tables rule", "inet isonet-delay prerouting: meta protocol => reg 1; cmp eq reg 1 0x86dd;"
                        + " meta l4proto => reg 1; cmp eq reg 1 0x3a; payload load 1b @ transport + 0 => reg 1; cmp gte"
                        + " reg 1 0x85; cmp lte reg 1 0x89; accept"),
                tuple("add nf_tables rule", "inet isonet-delay prerouting: meta iif => reg 1; cmp eq reg 1 0x02000000;"
                        + " payload load 6b @ link + 6 => reg 1; lookup reg 1 set senders; xt target NFQUEUE rev 3 queue"
                        + " num 65001 total 1 bypass"),
                tuple("add nf_tables rule", "inet isonet-delay prerouting: meta iif => reg 1; lookup reg 1 set"
                        + " delayed_in; xt target NFQUEUE rev 3 queue num 65001 total 1 bypass"),
                tuple("add nf_tables set elements", "inet isonet-delay senders { 0x02000adb0003 }"),
                tuple("add nf_tables set elements", "inet isonet-delay delayed_in { 0x02000000 }"));
        // nft add table inet isonet-delay
        assertMessage(batch.get(0), bytes(
                "28000000",                   // nlmsg_len = 40
                "000a",                       // NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWTABLE
                "0504",                       // REQUEST | ACK | CREATE
                "2a000000", "00000000",       // seq, pid
                INET_TABLE));                 // nfgenmsg NFPROTO_INET; NFTA_TABLE_NAME (flags 0: not sent)
        // nft add set inet isonet-delay senders { type ether_addr; }
        assertMessage(batch.get(1), bytes(
                "54000000", "090a", "0504", "2a000000", "00000000", // NFT_MSG_NEWSET, 84 bytes
                INET_TABLE,
                "0c00 0200", "73656e6465727300", // NFTA_SET_NAME "senders"
                "0800 0300", "00000000",      // NFTA_SET_FLAGS = 0
                "0800 0400", "00000009",      // NFTA_SET_KEY_TYPE = 9, ether_addr
                "0800 0500", "00000006",      // NFTA_SET_KEY_LEN = 6
                "0800 0a00", "00000001"));    // NFTA_SET_ID = 1
        // nft add set inet isonet-delay delayed_in { type iface_index; }
        assertMessage(batch.get(2), bytes(
                "58000000", "090a", "0504", "2a000000", "00000000", // 88 bytes
                INET_TABLE,
                "0f00 0200", "64656c617965645f696e00 00", // NFTA_SET_NAME "delayed_in"
                "0800 0300", "00000000",
                "0800 0400", "00000014",      // NFTA_SET_KEY_TYPE = 20, iface_index
                "0800 0500", "00000004",      // NFTA_SET_KEY_LEN = 4
                "0800 0a00", "00000002"));    // NFTA_SET_ID = 2
        // nft add chain inet isonet-delay prerouting { type filter hook prerouting priority -300; }
        assertMessage(batch.get(3), bytes(
                "60000000", "030a", "0504", "2a000000", "00000000", // NFT_MSG_NEWCHAIN, 96 bytes
                INET_TABLE,
                "0f00 0300", "707265726f7574696e6700 00", // NFTA_CHAIN_NAME "prerouting"
                "1400 0480",                  // NFTA_CHAIN_HOOK
                "0800 0100", "00000000",      //  NFTA_HOOK_HOOKNUM = NF_INET_PRE_ROUTING
                "0800 0200", "fffffed4",      //  NFTA_HOOK_PRIORITY = -300
                "0800 0500", "00000001",      // NFTA_CHAIN_POLICY = accept
                "0b00 0700", "66696c74657200 00")); // NFTA_CHAIN_TYPE "filter"
        // the neighbour discovery accept of the fault tables, unchanged in the inet family
        NfTables.Batch nd = new NfTables(null).batch();
        nd.ruleAdd(NfTables.FAMILY_INET, DelayTable.TABLE, DelayTable.PREROUTING, FaultTables.neighbourDiscoveryAccept());
        assertMessage(batch.get(4), nd.requests().get(0).message().toBytes(SEQUENCE));
        // nft add rule inet isonet-delay prerouting meta iif 2 ether saddr @senders queue num 65001 bypass
        assertMessage(batch.get(5), bytes(join(
                "1c010000", "060a",           // nlmsg_len = 284, NFT_MSG_NEWRULE
                "050c",                       // REQUEST | ACK | CREATE | APPEND
                "2a000000", "00000000",
                INET_TABLE, PREROUTING,
                "e400 0480",                  // NFTA_RULE_EXPRESSIONS, 228
                META_IIF_2,
                "3400 0180", "0c00 0100", "7061796c6f616400", // "payload"
                "2400 0280", "0800 0100", "00000001", //  NFTA_PAYLOAD_DREG = NFT_REG_1
                "0800 0200", "00000000",      //  NFTA_PAYLOAD_BASE = NFT_PAYLOAD_LL_HEADER
                "0800 0300", "00000006",      //  NFTA_PAYLOAD_OFFSET = 6: ether saddr
                "0800 0400", "00000006",      //  NFTA_PAYLOAD_LEN = 6
                "2800 0180", "0b00 0100", "6c6f6f6b757000 00", // "lookup"
                "1800 0280", "0800 0200", "00000001", //  NFTA_LOOKUP_SREG = NFT_REG_1
                "0c00 0100", "73656e6465727300", //  NFTA_LOOKUP_SET "senders"
                QUEUE)));
        // nft add rule inet isonet-delay prerouting meta iif @delayed_in queue num 65001 bypass
        assertMessage(batch.get(6), bytes(join(
                "c0000000", "060a", "050c", "2a000000", "00000000", // 192 bytes
                INET_TABLE, PREROUTING,
                "8800 0480",                  // NFTA_RULE_EXPRESSIONS, 136
                "2400 0180", "0900 0100", "6d65746100 000000", // "meta"
                "1400 0280", "0800 0100", "00000001", //  NFTA_META_DREG = NFT_REG_1
                "0800 0200", "00000004",      //  NFTA_META_KEY = NFT_META_IIF
                "2c00 0180", "0b00 0100", "6c6f6f6b757000 00", // "lookup"
                "1c00 0280", "0800 0200", "00000001", //  NFTA_LOOKUP_SREG = NFT_REG_1
                "0f00 0100", "64656c617965645f696e00 00", //  NFTA_LOOKUP_SET "delayed_in"
                QUEUE)));
        // nft add element inet isonet-delay senders { 02:00:0a:db:00:03 }
        assertMessage(batch.get(7), bytes(
                "4c000000", "0c0a", "0504", "2a000000", "00000000", // NFT_MSG_NEWSETELEM, 76 bytes
                INET_TABLE,
                "0c00 0200", "73656e6465727300", // NFTA_SET_ELEM_LIST_SET "senders"
                "1800 0380",                  // NFTA_SET_ELEM_LIST_ELEMENTS
                "1400 0180", "1000 0180",     //  element 1, NFTA_SET_ELEM_KEY
                "0a00 0100", "02000adb0003 0000")); // NFTA_DATA_VALUE: the MAC, 6 bytes + pad
        // nft add element inet isonet-delay delayed_in { 2 }
        assertMessage(batch.get(8), bytes(
                "4c000000", "0c0a", "0504", "2a000000", "00000000",
                INET_TABLE,
                "0f00 0200", "64656c617965645f696e00 00", // "delayed_in"
                "1400 0380", "1000 0180", "0c00 0180",
                "0800 0100", "02000000"));    // eth0's index, host-endian
    }

    @Test
    void aChangeRewritesOnlyTheSetsThatDiffer() {
        NfTables.Batch batch = new NfTables(null).batch();
        DelayTable.Content senderOnly = new DelayTable.Content(new TreeSet<>(List.of(MAC)), false, false);

        assertThat(DelayTable.writeChanges(batch, NODE, SENDER_AND_INGRESS, senderOnly)).isEqualTo(1);
        assertThat(batch.requests()).extracting(Request::operation, Request::object).containsExactly(
                tuple("flush nf_tables set", "inet isonet-delay delayed_in"));

        NfTables.Batch none = new NfTables(null).batch();
        assertThat(DelayTable.writeChanges(none, NODE, senderOnly, DelayTable.Content.EMPTY)).isEqualTo(1);
        assertThat(none.requests()).extracting(Request::operation, Request::object).containsExactly(
                tuple("flush nf_tables set", "inet isonet-delay senders"));
        // nft flush set inet isonet-delay senders
        assertMessage(none.requests().get(0), bytes(
                "34000000", "0e0a",           // 52 bytes, NFT_MSG_DELSETELEM
                "0500",                       // REQUEST | ACK
                "2a000000", "00000000",
                INET_TABLE,
                "0c00 0200", "73656e6465727300"));

        assertThat(DelayTable.writeChanges(new NfTables(null).batch(), NODE, senderOnly, senderOnly)).isZero();
    }

    @Test
    void theRouterQueuesWhatNodesRouteToItAndTheUplinkInBothDirections() {
        long bridgeMac = 0x02000adb0001L;
        List<Request> batch = prepare(DelayTable.Place.router(2, bridgeMac, 3),
                new DelayTable.Content(new TreeSet<>(List.of(MAC)), true, true));

        assertThat(batch).extracting(Request::object).filteredOn(o -> !o.contains("0x86dd")).containsExactly(
                "inet isonet-delay",
                "inet isonet-delay senders { type ether_addr; }",
                "inet isonet-delay delayed_in { type iface_index; }",
                "inet isonet-delay delayed_out { type iface_index; }",
                "inet isonet-delay prerouting",
                "inet isonet-delay prerouting: meta iif => reg 1; cmp eq reg 1 0x02000000; payload load 6b @ link + 0"
                        + " => reg 1; cmp eq reg 1 0x02000adb0001; payload load 6b @ link + 6 => reg 1; lookup reg 1 set"
                        + " senders; xt target NFQUEUE rev 3 queue num 65001 total 1 bypass",
                "inet isonet-delay prerouting: meta iif => reg 1; lookup reg 1 set delayed_in; xt target NFQUEUE rev 3"
                        + " queue num 65001 total 1 bypass",
                "inet isonet-delay postrouting",
                "inet isonet-delay postrouting: meta oif => reg 1; lookup reg 1 set delayed_out; xt target NFQUEUE"
                        + " rev 3 queue num 65001 total 1 bypass",
                "inet isonet-delay senders { 0x02000adb0003 }",
                "inet isonet-delay delayed_in { 0x03000000 }",
                "inet isonet-delay delayed_out { 0x03000000 }");
        // nft add chain inet isonet-delay postrouting { type filter hook postrouting priority 300; }
        assertMessage(batch.get(8), bytes(
                "60000000", "030a", "0504", "2a000000", "00000000", // NFT_MSG_NEWCHAIN, 96 bytes
                INET_TABLE,
                "1000 0300", "706f7374726f7574696e6700", // NFTA_CHAIN_NAME "postrouting"
                "1400 0480",
                "0800 0100", "00000004",      //  NFTA_HOOK_HOOKNUM = NF_INET_POST_ROUTING
                "0800 0200", "0000012c",      //  NFTA_HOOK_PRIORITY = 300
                "0800 0500", "00000001",
                "0b00 0700", "66696c74657200 00"));
    }

    @Test
    void macsAreSixBytesInNetworkOrder() {
        assertThat(DelayTable.mac(MAC)).containsExactly(0x02, 0x00, 0x0a, 0xdb, 0x00, 0x03);
        assertThat(DelayTable.mac(DelayTable.mac(MAC))).isEqualTo(MAC);
        assertThat(DelayTable.mac(new byte[4])).isEqualTo(-1);
        assertThat(DelayTable.mac((byte[]) null)).isEqualTo(-1);
    }
}
