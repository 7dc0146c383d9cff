package dev.isonet.internal.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.internal.netlink.GoldenBytes;
import dev.isonet.internal.netlink.NfTables;
import dev.isonet.internal.netlink.Request;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The batch that a change of faults becomes, byte for byte, for small examples: a partition of two nodes on
 * bridge ports 16 and 17, 30% egress loss on port 16, a cut toward an external host, and healing. Each
 * message is written out by hand, field by field, in the layout of the nf_tables golden tests (which were
 * checked against what nft sends). No root needed.
 */
@GoldenBytes
class FaultRulesEncodingTests {
    private static final int SEQUENCE = 42;
    private static final int UPLINK = 3;
    private static final Side.Node A = new Side.Node(16, ipv4("10.219.0.2"));
    private static final Side.Node B = new Side.Node(17, ipv4("10.219.0.3"));
    private static final Effect PARTITION = Effect.cuts(Set.of(new Cut(A, B), new Cut(B, A)));
    private static final Effect LOSS = Effect.losses(List.of(new Loss(A, true, 300)));

    /** NFTA_*_TABLE "isonet-faults": 4 + 14 bytes, padded to 20. */
    private static final String TABLE = "1200 0100 69736f6e65742d6661756c747300 0000";

    private static Inet4Address ipv4(String address) {
        try {
            return (Inet4Address) InetAddress.getByName(address);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Request> change(List<Effect> before, List<Effect> after) {
        NfTables.Batch batch = new NfTables(null).batch();
        FaultRules.of(after, UPLINK).writeChanges(FaultRules.of(before, UPLINK), batch);
        return batch.requests();
    }

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

    @Test
    void aPartitionOfTwoNodesRewritesTheNodePairsSet() {
        List<Request> batch = change(List.of(), List.of(PARTITION));

        assertThat(batch).extracting(Request::operation, Request::object).containsExactly(
                org.assertj.core.groups.Tuple.tuple("flush nf_tables set", "bridge isonet-faults node_pairs"),
                org.assertj.core.groups.Tuple.tuple("add nf_tables set elements",
                        "bridge isonet-faults node_pairs { 0x1000000011000000, 0x1100000010000000 }"));
        // nft flush set bridge isonet-faults node_pairs
        assertMessage(batch.get(0), bytes(
                "38000000",                   // nlmsg_len = 56
                "0e0a",                       // NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_DELSETELEM
                "0500",                       // REQUEST | ACK
                "2a000000", "00000000",       // seq, pid
                "07 00 0000",                 // nfgenmsg: NFPROTO_BRIDGE, NFNETLINK_V0, res_id 0
                TABLE,                        // NFTA_SET_ELEM_LIST_TABLE "isonet-faults"
                "0f00 0200", "6e6f64655f706169727300 00")); // NFTA_SET_ELEM_LIST_SET "node_pairs" + pad
        // nft add element bridge isonet-faults node_pairs { 16 . 17, 17 . 16 }
        assertMessage(batch.get(1), bytes(
                "64000000",                   // nlmsg_len = 100
                "0c0a",                       // NFT_MSG_NEWSETELEM
                "0504",                       // REQUEST | ACK | CREATE
                "2a000000", "00000000",
                "07 00 0000",
                TABLE,
                "0f00 0200", "6e6f64655f706169727300 00",
                "2c00 0380",                  // NFTA_SET_ELEM_LIST_ELEMENTS | NLA_F_NESTED, 44
                "1400 0180",                  //  element 1
                "1000 0180",                  //   NFTA_SET_ELEM_KEY
                "0c00 0100", "10000000 11000000", // NFTA_DATA_VALUE: port 16 . port 17, host-endian
                "1400 0280",                  //  element 2
                "1000 0180",
                "0c00 0100", "11000000 10000000")); // 17 . 16
    }

    /** {@code meta iif 16 numgen random mod 1000 < 300 drop}: the expressions, 292 bytes with their nest. */
    private static final String[] LOSS_RULE = {
            "2401 0480",                  // NFTA_RULE_EXPRESSIONS, 292
            "2400 0180",                  //  NFTA_LIST_ELEM, 36
            "0900 0100", "6d65746100 000000", // NFTA_EXPR_NAME "meta"
            "1400 0280",                  //   NFTA_EXPR_DATA
            "0800 0100", "00000001",      //    NFTA_META_DREG = NFT_REG_1
            "0800 0200", "00000004",      //    NFTA_META_KEY = NFT_META_IIF
            "2c00 0180",                  //  NFTA_LIST_ELEM, 44
            "0800 0100", "636d7000",      //   NFTA_EXPR_NAME "cmp"
            "2000 0280",
            "0800 0100", "00000001",      //    NFTA_CMP_SREG = NFT_REG_1
            "0800 0200", "00000000",      //    NFTA_CMP_OP = NFT_CMP_EQ
            "0c00 0380",                  //    NFTA_CMP_DATA
            "0800 0100", "10000000",      //     NFTA_DATA_VALUE port 16, host-endian
            "3400 0180",                  //  NFTA_LIST_ELEM, 52
            "0b00 0100", "6e756d67656e00 00", // NFTA_EXPR_NAME "numgen"
            "2400 0280",
            "0800 0100", "00000001",      //    NFTA_NG_DREG = NFT_REG_1
            "0800 0200", "000003e8",      //    NFTA_NG_MODULUS = 1000
            "0800 0300", "00000001",      //    NFTA_NG_TYPE = NFT_NG_RANDOM
            "0800 0400", "00000000",      //    NFTA_NG_OFFSET = 0
            "4000 0180",                  //  NFTA_LIST_ELEM, 64
            "0e00 0100", "627974656f7264657200 0000", // NFTA_EXPR_NAME "byteorder"
            "2c00 0280",
            "0800 0100", "00000001",      //    NFTA_BYTEORDER_SREG = NFT_REG_1
            "0800 0200", "00000001",      //    NFTA_BYTEORDER_DREG = NFT_REG_1
            "0800 0300", "00000001",      //    NFTA_BYTEORDER_OP = NFT_BYTEORDER_HTON
            "0800 0400", "00000004",      //    NFTA_BYTEORDER_LEN = 4
            "0800 0500", "00000004",      //    NFTA_BYTEORDER_SIZE = 4
            "2c00 0180",                  //  NFTA_LIST_ELEM, 44
            "0800 0100", "636d7000",      //   NFTA_EXPR_NAME "cmp"
            "2000 0280",
            "0800 0100", "00000001",      //    NFTA_CMP_SREG = NFT_REG_1
            "0800 0200", "00000002",      //    NFTA_CMP_OP = NFT_CMP_LT
            "0c00 0380",
            "0800 0100", "0000012c",      //     NFTA_DATA_VALUE 300, big-endian (after byteorder)
            "3000 0180",                  //  NFTA_LIST_ELEM, 48
            "0e00 0100", "696d6d65646961746500 0000", // NFTA_EXPR_NAME "immediate"
            "1c00 0280",
            "0800 0100", "00000000",      //    NFTA_IMMEDIATE_DREG = NFT_REG_VERDICT
            "1000 0280",                  //    NFTA_IMMEDIATE_DATA
            "0c00 0280",                  //     NFTA_DATA_VERDICT
            "0800 0100", "00000000"};     //      NFTA_VERDICT_CODE = NF_DROP

    private static String[] join(String[] head, String[] tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    @Test
    void egressLossOnANodeRewritesTheForwardAndInputLossChainsAndLeavesTheSetsAlone() {
        List<Request> batch = change(List.of(PARTITION), List.of(PARTITION, LOSS));

        assertThat(batch).extracting(Request::operation).containsExactly("flush nf_tables chain",
                "add nf_tables rule", "flush nf_tables chain", "add nf_tables rule");
        // nft flush chain bridge isonet-faults forward_loss
        assertMessage(batch.get(0), bytes(
                "3c000000",                   // nlmsg_len = 60
                "080a",                       // NFT_MSG_DELRULE
                "0500",                       // REQUEST | ACK
                "2a000000", "00000000",
                "07 00 0000",
                TABLE,                        // NFTA_RULE_TABLE
                "1100 0200", "666f72776172645f6c6f737300 000000")); // NFTA_RULE_CHAIN "forward_loss" + pad
        // nft add rule bridge isonet-faults forward_loss meta iif 16 numgen random mod 1000 < 300 drop
        assertMessage(batch.get(1), bytes(join(new String[] {
                "60010000",                   // nlmsg_len = 352
                "060a",                       // NFT_MSG_NEWRULE
                "050c",                       // REQUEST | ACK | CREATE | APPEND
                "2a000000", "00000000",
                "07 00 0000",
                TABLE,
                "1100 0200", "666f72776172645f6c6f737300 000000"}, LOSS_RULE)));
        // the same, in input_loss: what the node sends to the router, the host and beyond
        assertMessage(batch.get(2), bytes(
                "38000000", "080a", "0500", "2a000000", "00000000", "07 00 0000", TABLE,
                "0f00 0200", "696e7075745f6c6f737300 00")); // NFTA_RULE_CHAIN "input_loss" + pad
        assertMessage(batch.get(3), bytes(join(new String[] {
                "5c010000",                   // nlmsg_len = 348
                "060a", "050c", "2a000000", "00000000", "07 00 0000", TABLE,
                "0f00 0200", "696e7075745f6c6f737300 00"}, LOSS_RULE)));
    }

    @Test
    void aCutTowardAnExternalHostIsAnAddressPairInTheInetTable() {
        Side.Address upstream = new Side.Address(ipv4("198.51.100.10"));

        List<Request> batch = change(List.of(), List.of(Effect.cuts(Set.of(new Cut(A, upstream)))));

        assertThat(batch).hasSize(2);
        // nft add element inet isonet-faults address_pairs { 10.219.0.2 . 198.51.100.10 }
        assertMessage(batch.get(1), bytes(
                "54000000",                   // nlmsg_len = 84
                "0c0a", "0504", "2a000000", "00000000",
                "01 00 0000",                 // nfgenmsg: NFPROTO_INET
                TABLE,
                "1200 0200", "616464726573735f706169727300 0000", // NFTA_SET_ELEM_LIST_SET "address_pairs"
                "1800 0380",                  // NFTA_SET_ELEM_LIST_ELEMENTS, 24
                "1400 0180",
                "1000 0180",
                "0c00 0100", "0adb0002 c633640a")); // saddr . daddr, network order, as in the IP header
    }

    @Test
    void healingTheLastFaultOnlyFlushesAndAnUnchangedStateSendsNothing() {
        List<Request> heal = change(List.of(PARTITION, LOSS), List.of());

        assertThat(heal).extracting(Request::operation, Request::object).containsExactly(
                org.assertj.core.groups.Tuple.tuple("flush nf_tables set", "bridge isonet-faults node_pairs"),
                org.assertj.core.groups.Tuple.tuple("flush nf_tables chain", "bridge isonet-faults forward_loss"),
                org.assertj.core.groups.Tuple.tuple("flush nf_tables chain", "bridge isonet-faults input_loss"));
        assertThat(change(List.of(PARTITION, LOSS), List.of(LOSS, PARTITION))).isEmpty();
    }

    @Test
    void lossOnTheOutsideIsOnTheUplinkAndIsolationFillsThreeSets() {
        FaultRules rules = FaultRules.of(List.of(
                Effect.losses(List.of(new Loss(new Side.Outside(), true, 100), new Loss(new Side.Outside(), false, 5))),
                Effect.isolated(18)), UPLINK);

        assertThat(rules.uplinkLoss()).containsExactly(new FaultRules.LossRule(UPLINK, false, 100),
                new FaultRules.LossRule(UPLINK, true, 5));
        assertThat(rules.isolated()).containsExactly(18);
        assertThat(rules.outbound()).containsExactly(18);
        assertThat(rules.inbound()).containsExactly(18);
        assertThat(rules.forwardLoss()).isEmpty();
    }
}
