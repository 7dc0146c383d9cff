package dev.isonet.internal.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dumps decoded from what the kernel really sent to {@code nft list ruleset} (nft-list-ruleset.hex, whose
 * header shows the ruleset as nft printed it), and from hand-made oddities. No root needed.
 */
class NfDumpDecodingTests {
    private static final int NEWCHAIN = 0x0a03;
    private static final int NEWRULE = 0x0a06;
    private static final int NEWSET = 0x0a09;
    private static final int NEWSETELEM = 0x0a0c;
    private static List<Reply> ruleset;

    @BeforeAll
    static void readCapturedReplies() throws IOException {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "captured replies are little-endian");
        ruleset = new ArrayList<>();
        try (InputStream in = NfDumpDecodingTests.class.getResourceAsStream("nft-list-ruleset.hex");
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            StringBuilder datagram = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("#")) {
                    addDatagram(datagram);
                } else {
                    datagram.append(line.trim());
                }
            }
            addDatagram(datagram);
        }
    }

    private static void addDatagram(StringBuilder hex) {
        if (hex.length() > 0) {
            byte[] bytes = Hex.bytes(hex.toString());
            ruleset.addAll(Reply.split(bytes, bytes.length));
            hex.setLength(0);
        }
    }

    private static List<Reply> repliesOfType(int type) {
        return ruleset.stream().filter(reply -> reply.type() == type).toList();
    }

    @Test
    void chainsReadAsNftListsThem() {
        assertThat(repliesOfType(NEWCHAIN)).map(NfChain::from).map(NfChain::toString).containsExactly(
                "bridge t forward { type filter hook forward priority -200; policy accept; }",
                "bridge t input { type filter hook input priority -200; policy accept; }",
                "bridge t output { type filter hook output priority -200; policy drop; }",
                "bridge t node_a",
                "inet f c { type filter hook prerouting priority 0; policy accept; }",
                "ip filter OUTPUT { type filter hook output priority 0; policy accept; }",
                "ip filter FORWARD { type filter hook forward priority 0; policy drop; }");
    }

    @Test
    void theForwardChainThatIptablesSetToDropIsTheOneThatDropsByDefault() {
        // bridge t output drops by default too, but only the forward hook of ip/ip6/inet is Docker's.
        assertThat(repliesOfType(NEWCHAIN)).map(NfChain::from).filteredOn(NfChain::dropsByDefault)
                .extracting(NfChain::family, NfChain::table, NfChain::name, NfChain::hook)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(NfTables.FAMILY_BRIDGE, "t", "output", NfTables.HOOK_OUTPUT),
                        org.assertj.core.groups.Tuple.tuple(NfTables.FAMILY_IPV4, "filter", "FORWARD",
                                NfTables.HOOK_FORWARD));
    }

    @Test
    void aRegularChainHasNoHookAndABaseChainItsHandle() {
        List<NfChain> chains = repliesOfType(NEWCHAIN).stream().map(NfChain::from).toList();

        assertThat(chains.get(3).isBase()).isFalse();
        assertThat(chains.get(3).hook()).isEqualTo(NfChain.NO_HOOK);
        assertThat(chains.get(0).isBase()).isTrue();
        assertThat(chains).extracting(NfChain::handle).allMatch(handle -> handle > 0);
    }

    @Test
    void rulesReadBackIntoExpressionTextWithTheirHandles() {
        List<NfRule> rules = repliesOfType(NEWRULE).stream().map(NfRule::from).toList();

        assertThat(rules).extracting(rule -> NfTables.familyName(rule.family()) + " " + rule.table() + " "
                + rule.chain() + ": " + rule.text()).containsExactly(
                "bridge t forward: meta iif => reg 1; meta oif => reg 9; lookup reg 1 set blocked; drop",
                "bridge t forward: meta iif => reg 1; cmp eq reg 1 0x03000000; numgen random mod 1000 => reg 1;"
                        + " byteorder reg 1 = hton(reg 1, 4, 4); cmp lt reg 1 0x0000012c; drop",
                "bridge t forward: meta protocol => reg 1; cmp eq reg 1 0x0806; accept",
                "bridge t forward: payload load 2b @ link + 12 => reg 1; cmp eq reg 1 0x0806; accept",
                "bridge t forward: counter packets 0 bytes 0; jump node_a",
                "bridge t forward: goto node_a",
                "inet f c: fib daddr . iif type => reg 1; cmp eq reg 1 0x02000000; drop",
                "inet f c: fib daddr type => reg 1; cmp eq reg 1 0x02000000; accept",
                "inet f c: meta l4proto => reg 1; cmp eq reg 1 0x06; reject tcp reset",
                "inet f c: reject icmpx admin-prohibited",
                "inet f c: meta pkttype => reg 1; cmp eq reg 1 0x01; meta nfproto => reg 1; cmp eq reg 1 0x0a;"
                        + " meta l4proto => reg 1; cmp eq reg 1 0x06; payload load 2b @ transport + 2 => reg 1;"
                        + " cmp gt reg 1 0x03e8; counter packets 0 bytes 0; accept",
                "ip filter OUTPUT: counter packets 0 bytes 0; xt target NFQUEUE rev 3 queue num 5 total 1 bypass");
        // Handles count per table.
        assertThat(rules).filteredOn(rule -> rule.table().equals("t")).extracting(NfRule::handle)
                .containsExactly(6L, 7L, 8L, 9L, 10L, 11L);
    }

    @Test
    void aConcatenatedSetShowsItsKeyTypeAndItsElementsTheirKeys() {
        assertThat(repliesOfType(NEWSET)).map(NfSet::from).map(NfSet::toString)
                .containsExactly("bridge t blocked { type iface_index . iface_index; } (key 8 bytes)");
        assertThat(repliesOfType(NEWSETELEM)).flatMap(NfTables::elementKeys)
                .containsExactly(NfSetKey.ifindexes(3, 2)); // "va" . "vb"
    }

    @Test
    void anExpressionThisCodeDoesNotKnowShowsItsNameAndAttributeSizes() {
        // nft add rule … quota 25 mbytes: NFTA_QUOTA_BYTES (be64), NFTA_QUOTA_FLAGS (be32)
        byte[] data = Hex.bytes("0c00 0100", "0000000001900000", "0800 0200", "00000000");

        assertThat(NfExpressionText.describe("quota", AttributeList.of(data)))
                .isEqualTo("quota (attr 1: 8 bytes, attr 2: 4 bytes)");
    }

    @Test
    void attributesThisCodeDoesNotKnowAreIgnored() {
        // meta with an extra attribute of type 9 (none such today) between DREG and KEY
        byte[] data = Hex.bytes("0800 0100", "00000001", "0800 0900", "deadbeef", "0800 0200", "00000004");

        assertThat(NfExpressionText.describe("meta", AttributeList.of(data))).isEqualTo("meta iif => reg 1");
    }

    @Test
    void aTruncatedAttributeEndsTheListInsteadOfFailing() {
        // DREG, then an attribute that claims 12 bytes where only 6 remain
        byte[] data = Hex.bytes("0800 0100", "00000001", "0c00 0200", "0000");

        assertThat(AttributeList.of(data).all()).hasSize(1);
        assertThat(NfExpressionText.describe("meta", AttributeList.of(data))).isEqualTo("meta key -1 => reg 1");
    }
}
