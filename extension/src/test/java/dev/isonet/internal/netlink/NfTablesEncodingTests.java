package dev.isonet.internal.netlink;

import static dev.isonet.internal.netlink.Hex.assertBytes;
import static dev.isonet.internal.netlink.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The nf_tables batch messages, byte for byte. The expected bytes follow linux/netfilter/nfnetlink.h and
 * linux/netfilter/nf_tables.h. nf_tables attribute payloads are big-endian; the netlink header and the
 * attribute headers stay host-endian (little-endian here). Where a comment says "as nft", the bytes are
 * what nft 1.0.6 sent for the same statement (seen with strace), apart from the differences named.
 */
@GoldenBytes
class NfTablesEncodingTests {
    private static final int SEQUENCE = 42;

    private static byte[] onlyRequestOf(NfTables.Batch batch) {
        assertThat(batch.requests()).hasSize(1);
        return batch.requests().get(0).message().toBytes(SEQUENCE);
    }

    private static NfTables.Batch batch() {
        return new NfTables(null).batch();
    }

    @Test
    void theBatchBeginMarkerNamesTheNfTablesSubsystemInNetworkByteOrderAsNftDoes() {
        byte[] expected = bytes(
                "14000000",                   // nlmsghdr.nlmsg_len = 20
                "1000",                       // nlmsg_type = NFNL_MSG_BATCH_BEGIN
                "0100",                       // nlmsg_flags = NLM_F_REQUEST
                "2a000000", "00000000",       // seq, pid
                "00",                         // nfgenmsg.nfgen_family = AF_UNSPEC
                "00",                         //   version = NFNETLINK_V0
                "000a");                      //   res_id = NFNL_SUBSYS_NFTABLES, big-endian

        assertBytes(NfTables.batchMarker(NfTables.MSG_BATCH_BEGIN).toBytes(SEQUENCE), expected);
    }

    @Test
    void theBatchEndMarkerNamesTheNfTablesSubsystemInNetworkByteOrderAsNftDoes() {
        byte[] expected = bytes(
                "14000000",                   // nlmsg_len = 20
                "1100",                       // nlmsg_type = NFNL_MSG_BATCH_END
                "0100",                       // NLM_F_REQUEST
                "2a000000", "00000000",       // seq, pid
                "00 00 000a");                // nfgenmsg: AF_UNSPEC, NFNETLINK_V0, res_id NFNL_SUBSYS_NFTABLES

        assertBytes(NfTables.batchMarker(NfTables.MSG_BATCH_END).toBytes(SEQUENCE), expected);
    }

    @Test
    void aTableIsAddedWithItsNameInTheNfTablesSubsystem() {
        // nft add table ip nat (nft also sends NFTA_TABLE_FLAGS 0, and asks for no ACK)
        byte[] expected = bytes(
                "1c000000",                   // nlmsg_len = 28
                "000a",                       // nlmsg_type = NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWTABLE
                "0504",                       // REQUEST | ACK | CREATE
                "2a000000", "00000000",       // seq, pid
                "02 00 0000",                 // nfgenmsg: NFPROTO_IPV4, NFNETLINK_V0, res_id 0
                "0800 0100", "6e617400");     // NFTA_TABLE_NAME "nat\0"

        assertBytes(onlyRequestOf(batch().tableAdd(NfTables.FAMILY_IPV4, "nat", 0)), expected);
    }

    @Test
    void aTableOwnedByItsSocketCarriesBigEndianTableFlags() {
        byte[] expected = bytes(
                "28000000",                   // nlmsg_len = 40
                "000a",                       // NFT_MSG_NEWTABLE
                "0504",                       // REQUEST | ACK | CREATE
                "2a000000", "00000000",       // seq, pid
                "01 00 0000",                 // nfgenmsg: NFPROTO_INET, NFNETLINK_V0, res_id 0
                "0b00 0100", "69736f6e657400 00", // NFTA_TABLE_NAME "isonet\0" + pad
                "0800 0200", "00000002");     // NFTA_TABLE_FLAGS = NFT_TABLE_F_OWNER, big-endian

        assertBytes(onlyRequestOf(batch().tableAdd(NfTables.FAMILY_INET, "isonet", NfTables.TABLE_F_OWNER)),
                expected);
    }

    @Test
    void aTableIsDeletedByNameAsNftDeletesIt() {
        // nft delete table ip nat (nft asks for no ACK)
        byte[] expected = bytes(
                "1c000000",                   // nlmsg_len = 28
                "020a",                       // NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_DELTABLE
                "0500",                       // REQUEST | ACK
                "2a000000", "00000000",       // seq, pid
                "02 00 0000",                 // nfgenmsg: NFPROTO_IPV4, NFNETLINK_V0, res_id 0
                "0800 0100", "6e617400");     // NFTA_TABLE_NAME "nat\0"

        assertBytes(onlyRequestOf(batch().tableDel(NfTables.FAMILY_IPV4, "nat")), expected);
    }

    @Test
    void aBaseChainCarriesItsHookPriorityPolicyAndTypeAsNftSendsThem() {
        // nft add chain ip nat post { type nat hook postrouting priority 100; policy accept; }
        // nft sends the same attributes in the order TABLE, NAME, TYPE, POLICY, HOOK, and no ACK flag.
        byte[] expected = bytes(
                "4c000000",                   // nlmsg_len = 76
                "030a",                       // NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWCHAIN
                "0504",                       // REQUEST | ACK | CREATE
                "2a000000", "00000000",       // seq, pid
                "02 00 0000",                 // nfgenmsg: NFPROTO_IPV4, NFNETLINK_V0, res_id 0
                "0800 0100", "6e617400",      // NFTA_CHAIN_TABLE "nat\0"
                "0900 0300", "706f737400 000000", // NFTA_CHAIN_NAME "post\0" + pad
                "1400 0480",                  // NFTA_CHAIN_HOOK | NLA_F_NESTED, 20
                "0800 0100", "00000004",      //   NFTA_HOOK_HOOKNUM = NF_INET_POST_ROUTING
                "0800 0200", "00000064",      //   NFTA_HOOK_PRIORITY = 100
                "0800 0500", "00000001",      // NFTA_CHAIN_POLICY = NF_ACCEPT
                "0800 0700", "6e617400");     // NFTA_CHAIN_TYPE "nat\0"

        assertBytes(onlyRequestOf(batch().chainAdd(NfTables.FAMILY_IPV4, "nat", "post", "nat",
                NfTables.HOOK_POSTROUTING, 100)), expected);
    }

    @Test
    void aNegativeChainPriorityIsWrittenAsABigEndianTwosComplement() {
        byte[] wire = onlyRequestOf(batch().chainAdd(NfTables.FAMILY_IPV4, "nat", "pre", "nat",
                NfTables.HOOK_PREROUTING, -100));

        // nfgenmsg 4, TABLE 8, NAME "pre\0" 8, then the hook nest: header 4, HOOKNUM 8, PRIORITY header 4
        int priority = 16 + 4 + 8 + 8 + 4 + 8 + 4;
        assertBytes(Arrays.copyOfRange(wire, priority - 4, priority + 4),
                bytes("0800 0200", "ffffff9c")); // NFTA_HOOK_PRIORITY = -100
    }

    @Test
    void aMasqueradeRuleMatchesNftsExpressionsExceptForEmptyDataNests() {
        // nft add rule ip nat post oifname "eth0" counter masquerade
        // nft writes meta KEY before DREG, and an empty NFTA_EXPR_DATA for counter and masq.
        byte[] expected = bytes(
                "a8000000",                   // nlmsg_len = 168
                "060a",                       // NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWRULE
                "050c",                       // REQUEST | ACK | CREATE | APPEND
                "2a000000", "00000000",       // seq, pid
                "02 00 0000",                 // nfgenmsg: NFPROTO_IPV4, NFNETLINK_V0, res_id 0
                "0800 0100", "6e617400",      // NFTA_RULE_TABLE "nat\0"
                "0900 0200", "706f737400 000000", // NFTA_RULE_CHAIN "post\0" + pad
                "8000 0480",                  // NFTA_RULE_EXPRESSIONS | NLA_F_NESTED, 128
                "2400 0180",                  //  NFTA_LIST_ELEM | NLA_F_NESTED, 36
                "0900 0100", "6d65746100 000000", //  NFTA_EXPR_NAME "meta\0" + pad
                "1400 0280",                  //   NFTA_EXPR_DATA | NLA_F_NESTED, 20
                "0800 0100", "00000001",      //    NFTA_META_DREG = NFT_REG_1
                "0800 0200", "00000007",      //    NFTA_META_KEY = NFT_META_OIFNAME
                "3800 0180",                  //  NFTA_LIST_ELEM | NLA_F_NESTED, 56
                "0800 0100", "636d7000",      //   NFTA_EXPR_NAME "cmp\0"
                "2c00 0280",                  //   NFTA_EXPR_DATA | NLA_F_NESTED, 44
                "0800 0100", "00000001",      //    NFTA_CMP_SREG = NFT_REG_1
                "0800 0200", "00000000",      //    NFTA_CMP_OP = NFT_CMP_EQ
                "1800 0380",                  //    NFTA_CMP_DATA | NLA_F_NESTED, 24
                "1400 0100",                  //     NFTA_DATA_VALUE, IFNAMSIZ bytes:
                "65746830 000000000000000000000000", //  "eth0", NUL-padded
                "1000 0180",                  //  NFTA_LIST_ELEM | NLA_F_NESTED, 16
                "0c00 0100", "636f756e74657200", //  NFTA_EXPR_NAME "counter\0"
                "1000 0180",                  //  NFTA_LIST_ELEM | NLA_F_NESTED, 16
                "0900 0100", "6d61737100 000000"); // NFTA_EXPR_NAME "masq\0" + pad

        byte[] wire = onlyRequestOf(batch().ruleAdd(NfTables.FAMILY_IPV4, "nat", "post", List.of(
                NfExpression.meta(NfExpression.META_OIFNAME, NfExpression.REG_1),
                NfExpression.cmpEq(NfExpression.REG_1, NfExpression.interfaceName("eth0")),
                NfExpression.counter(),
                NfExpression.masquerade())));

        assertBytes(wire, expected);
    }

    @Test
    void aPrefixMatchLoadsMasksComparesAndAcceptsInExactlyTheInitialBufferSize() {
        // nft add rule ip nat post ip saddr 10.0.0.0/24 accept
        // (nft compares 3 bytes instead of masking 4; its payload, cmp and immediate are laid out alike)
        byte[] expected = bytes(
                "00010000",                   // nlmsg_len = 256
                "060a",                       // NFT_MSG_NEWRULE
                "050c",                       // REQUEST | ACK | CREATE | APPEND
                "2a000000", "00000000",       // seq, pid
                "02 00 0000",                 // nfgenmsg: NFPROTO_IPV4, NFNETLINK_V0, res_id 0
                "0800 0100", "6e617400",      // NFTA_RULE_TABLE "nat\0"
                "0900 0200", "706f737400 000000", // NFTA_RULE_CHAIN "post\0" + pad
                "d800 0480",                  // NFTA_RULE_EXPRESSIONS | NLA_F_NESTED, 216
                "3400 0180",                  //  NFTA_LIST_ELEM, 52
                "0c00 0100", "7061796c6f616400", // NFTA_EXPR_NAME "payload\0"
                "2400 0280",                  //   NFTA_EXPR_DATA, 36
                "0800 0100", "00000001",      //    NFTA_PAYLOAD_DREG = NFT_REG_1
                "0800 0200", "00000001",      //    NFTA_PAYLOAD_BASE = NFT_PAYLOAD_NETWORK_HEADER
                "0800 0300", "0000000c",      //    NFTA_PAYLOAD_OFFSET = 12 (iphdr.saddr)
                "0800 0400", "00000004",      //    NFTA_PAYLOAD_LEN = 4
                "4400 0180",                  //  NFTA_LIST_ELEM, 68
                "0c00 0100", "6269747769736500", // NFTA_EXPR_NAME "bitwise\0"
                "3400 0280",                  //   NFTA_EXPR_DATA, 52
                "0800 0100", "00000001",      //    NFTA_BITWISE_SREG = NFT_REG_1
                "0800 0200", "00000001",      //    NFTA_BITWISE_DREG = NFT_REG_1
                "0800 0300", "00000004",      //    NFTA_BITWISE_LEN = 4
                "0c00 0480",                  //    NFTA_BITWISE_MASK, 12
                "0800 0100", "ffffff00",      //     NFTA_DATA_VALUE 255.255.255.0
                "0c00 0580",                  //    NFTA_BITWISE_XOR, 12
                "0800 0100", "00000000",      //     NFTA_DATA_VALUE 0.0.0.0
                "2c00 0180",                  //  NFTA_LIST_ELEM, 44
                "0800 0100", "636d7000",      //   NFTA_EXPR_NAME "cmp\0"
                "2000 0280",                  //   NFTA_EXPR_DATA, 32
                "0800 0100", "00000001",      //    NFTA_CMP_SREG = NFT_REG_1
                "0800 0200", "00000000",      //    NFTA_CMP_OP = NFT_CMP_EQ
                "0c00 0380",                  //    NFTA_CMP_DATA, 12
                "0800 0100", "0a000000",      //     NFTA_DATA_VALUE 10.0.0.0
                "3000 0180",                  //  NFTA_LIST_ELEM, 48 (as nft)
                "0e00 0100", "696d6d65646961746500 0000", // NFTA_EXPR_NAME "immediate\0" + pad
                "1c00 0280",                  //   NFTA_EXPR_DATA, 28
                "0800 0100", "00000000",      //    NFTA_IMMEDIATE_DREG = NFT_REG_VERDICT
                "1000 0280",                  //    NFTA_IMMEDIATE_DATA, 16
                "0c00 0280",                  //     NFTA_DATA_VERDICT, 12
                "0800 0100", "00000001");     //      NFTA_VERDICT_CODE = NF_ACCEPT

        byte[] wire = onlyRequestOf(batch().ruleAdd(NfTables.FAMILY_IPV4, "nat", "post", List.of(
                NfExpression.payload(12, 4, NfExpression.REG_1),
                NfExpression.mask(NfExpression.REG_1, bytes("ffffff00")),
                NfExpression.cmpEq(NfExpression.REG_1, bytes("0a000000")),
                NfExpression.verdict(NfExpression.VERDICT_ACCEPT))));

        assertBytes(wire, expected);
    }

    @Test
    void aOneByteComparisonIsPaddedInsideItsNestAndADropVerdictIsZero() {
        // nft add rule inet isonet forward meta nfproto ipv4 drop
        byte[] expected = bytes(
                "b0000000",                   // nlmsg_len = 176
                "060a",                       // NFT_MSG_NEWRULE
                "050c",                       // REQUEST | ACK | CREATE | APPEND
                "2a000000", "00000000",       // seq, pid
                "01 00 0000",                 // nfgenmsg: NFPROTO_INET, NFNETLINK_V0, res_id 0
                "0b00 0100", "69736f6e657400 00", // NFTA_RULE_TABLE "isonet\0" + pad
                "0c00 0200", "666f727761726400", // NFTA_RULE_CHAIN "forward\0"
                "8400 0480",                  // NFTA_RULE_EXPRESSIONS, 132
                "2400 0180",                  //  NFTA_LIST_ELEM, 36
                "0900 0100", "6d65746100 000000", //  NFTA_EXPR_NAME "meta\0" + pad
                "1400 0280",                  //   NFTA_EXPR_DATA, 20
                "0800 0100", "00000001",      //    NFTA_META_DREG = NFT_REG_1
                "0800 0200", "0000000f",      //    NFTA_META_KEY = NFT_META_NFPROTO
                "2c00 0180",                  //  NFTA_LIST_ELEM, 44
                "0800 0100", "636d7000",      //   NFTA_EXPR_NAME "cmp\0"
                "2000 0280",                  //   NFTA_EXPR_DATA, 32
                "0800 0100", "00000001",      //    NFTA_CMP_SREG = NFT_REG_1
                "0800 0200", "00000000",      //    NFTA_CMP_OP = NFT_CMP_EQ
                "0c00 0380",                  //    NFTA_CMP_DATA, 12 (padding included)
                "0500 0100", "02 000000",     //     NFTA_DATA_VALUE NFPROTO_IPV4, 1 byte + pad
                "3000 0180",                  //  NFTA_LIST_ELEM, 48
                "0e00 0100", "696d6d65646961746500 0000", // NFTA_EXPR_NAME "immediate\0" + pad
                "1c00 0280",                  //   NFTA_EXPR_DATA, 28
                "0800 0100", "00000000",      //    NFTA_IMMEDIATE_DREG = NFT_REG_VERDICT
                "1000 0280",                  //    NFTA_IMMEDIATE_DATA, 16
                "0c00 0280",                  //     NFTA_DATA_VERDICT, 12
                "0800 0100", "00000000");     //      NFTA_VERDICT_CODE = NF_DROP

        byte[] wire = onlyRequestOf(batch().ruleAdd(NfTables.FAMILY_INET, "isonet", "forward", List.of(
                NfExpression.meta(NfExpression.META_NFPROTO, NfExpression.REG_1),
                NfExpression.cmpEq(NfExpression.REG_1, new byte[] {NfTables.FAMILY_IPV4}),
                NfExpression.verdict(NfExpression.VERDICT_DROP))));

        assertBytes(wire, expected);
    }

    @Test
    void aBatchKeepsItsChangesInTheOrderTheyWereMade() {
        NfTables.Batch batch = batch()
                .tableAdd(NfTables.FAMILY_INET, "isonet", 0)
                .chainAdd(NfTables.FAMILY_INET, "isonet", "post", "nat", NfTables.HOOK_POSTROUTING, 100)
                .ruleAdd(NfTables.FAMILY_INET, "isonet", "post", List.of(NfExpression.masquerade()))
                .tableDel(NfTables.FAMILY_INET, "isonet");

        assertThat(batch.requests()).extracting(request -> request.message().type())
                .containsExactly(0x0a00, 0x0a03, 0x0a06, 0x0a02);
        assertThat(batch.requests()).extracting(Request::object)
                .containsExactly("inet isonet", "inet isonet post", "inet isonet post: masq", "inet isonet");
    }

    @Test
    void anInterfaceNameIsNulPaddedToIfnamsiz() {
        assertThat(NfExpression.interfaceName("eth0")).isEqualTo(bytes("65746830 00000000 00000000 00000000"));
    }

    @Test
    void anInterfaceNameLongerThanFifteenBytesIsCutToKeepItsNul() {
        assertThat(NfExpression.interfaceName("abcdefghijklmnopq"))
                .isEqualTo(bytes("61626364 65666768 696a6b6c 6d6e6f", "00"));
    }
}
