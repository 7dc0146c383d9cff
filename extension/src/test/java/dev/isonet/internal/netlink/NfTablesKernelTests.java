package dev.isonet.internal.netlink;

import dev.isonet.RequiresPrivileges;
import static dev.isonet.internal.netlink.NfExpression.REG32_01;
import static dev.isonet.internal.netlink.NfExpression.REG_1;
import static dev.isonet.internal.netlink.NfTables.FAMILY_BRIDGE;
import static dev.isonet.internal.netlink.NfTables.FAMILY_INET;
import static dev.isonet.internal.netlink.NfTables.FAMILY_IPV4;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isonet.internal.linux.LinuxException;
import dev.isonet.internal.ns.HostNamespaces;
import dev.isonet.internal.ns.NamespaceFds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each construct committed to the real kernel, in a fresh network namespace per test, and read back through
 * the dumps. Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN). Closing the namespace removes everything made here.
 */
@RequiresPrivileges
@Timeout(30)
class NfTablesKernelTests {
    private static final String TABLE = "isonet-faults";
    private static final String SET = "blocked";
    private static final NfSetKey IIF_OIF = NfSetKey.IFINDEX.concat(NfSetKey.IFINDEX);

    private NamespaceFds namespace;
    private NfTables nft;

    private record Opened(NamespaceFds fds, NfTables nft) {}

    @BeforeEach
    void freshNamespace() {
        Opened opened = HostNamespaces.create(null, fds -> new Opened(fds, NfTables.open("nf_tables kernel test")));
        namespace = opened.fds();
        nft = opened.nft();
    }

    @AfterEach
    void closeNamespace() {
        if (nft != null) {
            nft.close();
        }
        if (namespace != null) {
            namespace.close();
        }
    }

    private void bridgeTableWithChains() {
        nft.batch()
                .tableAdd(FAMILY_BRIDGE, TABLE, 0)
                .chainAdd(FAMILY_BRIDGE, TABLE, "forward", "filter", NfTables.HOOK_FORWARD, NfTables.BRIDGE_PRIORITY_FILTER)
                .chainAdd(FAMILY_BRIDGE, TABLE, "input", "filter", NfTables.HOOK_INPUT, NfTables.BRIDGE_PRIORITY_FILTER)
                .chainAdd(FAMILY_BRIDGE, TABLE, "output", "filter", NfTables.HOOK_OUTPUT, NfTables.BRIDGE_PRIORITY_FILTER)
                .chainAdd(FAMILY_BRIDGE, TABLE, "node-a")
                .setAdd(FAMILY_BRIDGE, TABLE, SET, IIF_OIF, 0)
                .commit();
    }

    private List<String> chainsOf(String table) {
        List<String> chains = new ArrayList<>();
        for (NfChain chain : nft.chainList()) {
            if (chain.table().equals(table)) {
                chains.add(chain.toString());
            }
        }
        return chains;
    }

    private List<String> rulesOf(int family, String table) {
        List<String> rules = new ArrayList<>();
        for (NfRule rule : nft.ruleList(family, table)) {
            rules.add(rule.chain() + ": " + rule.text());
        }
        return rules;
    }

    private static List<NfExpression> blockedPairDrop() {
        return List.of(
                NfExpression.meta(NfExpression.META_IIF, REG_1),
                NfExpression.meta(NfExpression.META_OIF, REG32_01),
                NfExpression.lookup(SET, REG_1, false),
                NfExpression.verdict(NfExpression.VERDICT_DROP));
    }

    private static List<NfExpression> lossOnPort(int ifindex) {
        List<NfExpression> rule = new ArrayList<>();
        rule.add(NfExpression.meta(NfExpression.META_IIF, REG_1));
        rule.add(NfExpression.cmpEq(REG_1, NfExpression.hostU32(ifindex)));
        rule.addAll(NfExpression.numgenRandomBelow(1000, 300, REG_1));
        rule.add(NfExpression.verdict(NfExpression.VERDICT_DROP));
        return rule;
    }

    @Test
    void aBridgeTableHasForwardInputAndOutputBaseChainsAndARegularChain() {
        bridgeTableWithChains();

        assertThat(nft.tableList()).contains("bridge " + TABLE);
        assertThat(chainsOf(TABLE)).containsExactlyInAnyOrder(
                "bridge isonet-faults forward { type filter hook forward priority -200; policy accept; }",
                "bridge isonet-faults input { type filter hook input priority -200; policy accept; }",
                "bridge isonet-faults output { type filter hook output priority -200; policy accept; }",
                "bridge isonet-faults node-a");
    }

    @Test
    void aForwardChainWithPolicyDropIsFoundAsDockerLeavesIt() {
        nft.batch()
                .tableAdd(FAMILY_IPV4, "filter", 0)
                .chainAdd(FAMILY_IPV4, "filter", "FORWARD", "filter", NfTables.HOOK_FORWARD, 0,
                        NfExpression.VERDICT_DROP)
                .chainAdd(FAMILY_IPV4, "filter", "OUTPUT", "filter", NfTables.HOOK_OUTPUT, 0)
                .commit();

        assertThat(nft.chainList()).filteredOn(NfChain::dropsByDefault).extracting(NfChain::toString)
                .containsExactly("ip filter FORWARD { type filter hook forward priority 0; policy drop; }");
    }

    @Test
    void aSetKeyedByInputAndOutputInterfaceHoldsPairsOfIndexes() {
        bridgeTableWithChains();
        nft.batch().setElementsAdd(FAMILY_BRIDGE, TABLE, SET,
                List.of(NfSetKey.ifindexes(3, 4), NfSetKey.ifindexes(4, 3))).commit();

        assertThat(nft.setList(FAMILY_BRIDGE, TABLE)).extracting(NfSet::toString)
                .containsExactly("bridge isonet-faults blocked { type iface_index . iface_index; } (key 8 bytes)");
        assertThat(nft.setElementList(FAMILY_BRIDGE, TABLE, SET))
                .containsExactlyInAnyOrder(NfSetKey.ifindexes(3, 4), NfSetKey.ifindexes(4, 3));
    }

    @Test
    void elementsAreAddedAgainHarmlesslyDeletedOnlyIfThereAndFlushedAllAtOnce() {
        bridgeTableWithChains();
        nft.batch().setElementsAdd(FAMILY_BRIDGE, TABLE, SET,
                List.of(NfSetKey.ifindexes(3, 4), NfSetKey.ifindexes(4, 3), NfSetKey.ifindexes(3, 5))).commit();

        nft.batch().setElementsAdd(FAMILY_BRIDGE, TABLE, SET, List.of(NfSetKey.ifindexes(3, 4))).commit();
        nft.batch().setElementsDel(FAMILY_BRIDGE, TABLE, SET, List.of(NfSetKey.ifindexes(4, 3))).commit();
        assertThat(nft.setElementList(FAMILY_BRIDGE, TABLE, SET))
                .containsExactlyInAnyOrder(NfSetKey.ifindexes(3, 4), NfSetKey.ifindexes(3, 5));
        assertThatThrownBy(() -> nft.batch().setElementsDel(FAMILY_BRIDGE, TABLE, SET,
                List.of(NfSetKey.ifindexes(4, 3))).commit())
                .isInstanceOf(LinuxException.class).hasMessageContaining("failed: ENOENT");

        nft.batch().setFlush(FAMILY_BRIDGE, TABLE, SET).commit();
        assertThat(nft.setElementList(FAMILY_BRIDGE, TABLE, SET)).isEmpty();
    }

    @Test
    void aRuleLooksTheInterfacePairUpInTheSetAndDrops() {
        bridgeTableWithChains();
        nft.batch().ruleAdd(FAMILY_BRIDGE, TABLE, "forward", blockedPairDrop()).commit();

        assertThat(rulesOf(FAMILY_BRIDGE, TABLE)).containsExactly(
                "forward: meta iif => reg 1; meta oif => reg 9; lookup reg 1 set blocked; drop");
    }

    @Test
    void aSetAndTheRuleThatLooksItUpCanBeMadeInOneBatch() {
        nft.batch()
                .tableAdd(FAMILY_BRIDGE, TABLE, 0)
                .chainAdd(FAMILY_BRIDGE, TABLE, "forward", "filter", NfTables.HOOK_FORWARD, NfTables.BRIDGE_PRIORITY_FILTER)
                .setAdd(FAMILY_BRIDGE, TABLE, SET, IIF_OIF, 0)
                .setElementsAdd(FAMILY_BRIDGE, TABLE, SET, List.of(NfSetKey.ifindexes(3, 4)))
                .ruleAdd(FAMILY_BRIDGE, TABLE, "forward", blockedPairDrop())
                .commit();

        assertThat(rulesOf(FAMILY_BRIDGE, TABLE)).hasSize(1);
        assertThat(nft.setElementList(FAMILY_BRIDGE, TABLE, SET)).containsExactly(NfSetKey.ifindexes(3, 4));
    }

    @Test
    void aLossRuleDrawsARandomNumberBelowAThresholdOnOnePort() {
        bridgeTableWithChains();
        nft.batch().ruleAdd(FAMILY_BRIDGE, TABLE, "forward", lossOnPort(3)).commit();

        assertThat(rulesOf(FAMILY_BRIDGE, TABLE)).containsExactly("forward: meta iif => reg 1; cmp eq reg 1 0x03000000;"
                + " numgen random mod 1000 => reg 1; byteorder reg 1 = hton(reg 1, 4, 4); cmp lt reg 1 0x0000012c; drop");
    }

    @Test
    void flushingAChainLeavesItEmptyAndTheOtherChainsAlone() {
        bridgeTableWithChains();
        nft.batch()
                .ruleAdd(FAMILY_BRIDGE, TABLE, "node-a", blockedPairDrop())
                .ruleAdd(FAMILY_BRIDGE, TABLE, "node-a", lossOnPort(3))
                .ruleAdd(FAMILY_BRIDGE, TABLE, "forward", List.of(NfExpression.jump("node-a")))
                .commit();

        nft.batch().chainFlush(FAMILY_BRIDGE, TABLE, "node-a").commit();

        assertThat(rulesOf(FAMILY_BRIDGE, TABLE)).containsExactly("forward: jump node-a");
    }

    @Test
    void aChainIsRebuiltInOneBatchByFlushAndReAdd() {
        bridgeTableWithChains();
        nft.batch().ruleAdd(FAMILY_BRIDGE, TABLE, "node-a", lossOnPort(3)).commit();

        nft.batch()
                .chainFlush(FAMILY_BRIDGE, TABLE, "node-a")
                .chainAdd(FAMILY_BRIDGE, TABLE, "node-a-out")
                .ruleAdd(FAMILY_BRIDGE, TABLE, "node-a", List.of(NfExpression.counter(), NfExpression.goTo("node-a-out")))
                .commit();

        assertThat(rulesOf(FAMILY_BRIDGE, TABLE)).containsExactly(
                "node-a: counter packets 0 bytes 0; goto node-a-out");
    }

    @Test
    void anEmptyUnreferencedChainAndAnUnusedSetAreDeleted() {
        bridgeTableWithChains();

        nft.batch().chainDel(FAMILY_BRIDGE, TABLE, "node-a").setDel(FAMILY_BRIDGE, TABLE, SET).commit();

        assertThat(chainsOf(TABLE)).hasSize(3);
        assertThat(nft.setList(FAMILY_BRIDGE, TABLE)).isEmpty();
    }

    @Test
    void aRuleIsDeletedByItsHandle() {
        bridgeTableWithChains();
        nft.batch()
                .ruleAdd(FAMILY_BRIDGE, TABLE, "forward", List.of(NfExpression.counter()))
                .ruleAdd(FAMILY_BRIDGE, TABLE, "forward", blockedPairDrop())
                .commit();
        NfRule first = nft.ruleList(FAMILY_BRIDGE, TABLE).get(0);

        nft.batch().ruleDel(FAMILY_BRIDGE, TABLE, "forward", first.handle()).commit();

        assertThat(rulesOf(FAMILY_BRIDGE, TABLE)).containsExactly(
                "forward: meta iif => reg 1; meta oif => reg 9; lookup reg 1 set blocked; drop");
    }

    @Test
    void anInetTableQueuesThroughTheXtablesNfqueueTarget() {
        nft.batch()
                .tableAdd(FAMILY_INET, "isonet-delay", 0)
                .chainAdd(FAMILY_INET, "isonet-delay", "output", "filter", NfTables.HOOK_OUTPUT, 0)
                .ruleAdd(FAMILY_INET, "isonet-delay", "output", List.of(
                        NfExpression.meta(NfExpression.META_L4PROTO, REG_1),
                        NfExpression.cmpEq(REG_1, new byte[] {NfExpression.IPPROTO_UDP}),
                        NfExpression.nfqueue(5, 1, NfExpression.NFQ_FLAG_BYPASS)))
                .ruleAdd(FAMILY_INET, "isonet-delay", "output", List.of(
                        NfExpression.nfqueue(7, 2, NfExpression.NFQ_FLAG_BYPASS | NfExpression.NFQ_FLAG_CPU_FANOUT)))
                .commit();

        assertThat(rulesOf(FAMILY_INET, "isonet-delay")).containsExactly(
                "output: meta l4proto => reg 1; cmp eq reg 1 0x11; xt target NFQUEUE rev 3 queue num 5 total 1 bypass",
                "output: xt target NFQUEUE rev 3 queue num 7 total 2 bypass fanout");
    }

    @Test
    void fibRulesFindLocalDestinations() {
        nft.batch()
                .tableAdd(FAMILY_INET, "host", 0)
                .chainAdd(FAMILY_INET, "host", "prerouting", "filter", NfTables.HOOK_PREROUTING, 0)
                .ruleAdd(FAMILY_INET, "host", "prerouting", List.of(
                        NfExpression.fib(NfExpression.FIB_DADDR | NfExpression.FIB_IIF, NfExpression.FIB_RESULT_ADDRTYPE,
                                REG_1),
                        NfExpression.cmpEq(REG_1, NfExpression.hostU32(NfExpression.RTN_LOCAL)),
                        NfExpression.verdict(NfExpression.VERDICT_ACCEPT)))
                .ruleAdd(FAMILY_INET, "host", "prerouting", List.of(
                        NfExpression.fib(NfExpression.FIB_DADDR, NfExpression.FIB_RESULT_ADDRTYPE, REG_1),
                        NfExpression.cmpEq(REG_1, NfExpression.hostU32(NfExpression.RTN_LOCAL)),
                        NfExpression.reject(NfExpression.REJECT_ICMPX_UNREACH, NfExpression.ICMPX_ADMIN_PROHIBITED)))
                .commit();

        assertThat(rulesOf(FAMILY_INET, "host")).containsExactly(
                "prerouting: fib daddr . iif type => reg 1; cmp eq reg 1 0x02000000; accept",
                "prerouting: fib daddr type => reg 1; cmp eq reg 1 0x02000000; reject icmpx admin-prohibited");
    }

    @Test
    void everyExpressionReadsBackAsItWasWritten() {
        List<NfExpression> expressions = List.of(
                NfExpression.meta(NfExpression.META_PROTOCOL, REG_1),
                NfExpression.cmpEq(REG_1, NfExpression.be16(NfExpression.ETH_P_IP)),
                NfExpression.meta(NfExpression.META_PKTTYPE, REG_1),
                NfExpression.cmpNeq(REG_1, new byte[] {NfExpression.PACKET_BROADCAST}),
                NfExpression.meta(NfExpression.META_IIFNAME, REG_1),
                NfExpression.cmpEq(REG_1, NfExpression.interfaceName("uplink")),
                NfExpression.payload(NfExpression.PAYLOAD_LINK_HEADER, 12, 2, REG_1),
                NfExpression.cmp(NfExpression.CMP_GTE, REG_1, NfExpression.be16(0x0600)),
                NfExpression.payload(12, 4, REG_1),
                NfExpression.mask(REG_1, Hex.bytes("ffffff00")),
                NfExpression.cmp(NfExpression.CMP_LTE, REG_1, Hex.bytes("0a000000")),
                NfExpression.meta(NfExpression.META_L4PROTO, REG_1),
                NfExpression.cmpEq(REG_1, new byte[] {NfExpression.IPPROTO_TCP}),
                NfExpression.payload(NfExpression.PAYLOAD_TRANSPORT_HEADER, 2, 2, REG_1),
                NfExpression.cmp(NfExpression.CMP_GT, REG_1, NfExpression.be16(1000)),
                NfExpression.ct(NfExpression.CT_STATE, REG_1),
                NfExpression.mask(REG_1, NfExpression.hostU32(NfExpression.CT_ESTABLISHED_RELATED)),
                NfExpression.cmpNeq(REG_1, new byte[4]),
                NfExpression.meta(NfExpression.META_NFPROTO, REG_1),
                NfExpression.cmpEq(REG_1, new byte[] {NfExpression.NFPROTO_IPV4}),
                NfExpression.counter(),
                NfExpression.reject(NfExpression.REJECT_TCP_RST, 0));
        nft.batch()
                .tableAdd(FAMILY_INET, "all", 0)
                .chainAdd(FAMILY_INET, "all", "input", "filter", NfTables.HOOK_INPUT, 0)
                .ruleAdd(FAMILY_INET, "all", "input", expressions)
                .commit();

        List<String> written = expressions.stream().map(NfExpression::toString)
                .map(text -> text.equals("counter") ? "counter packets 0 bytes 0" : text).toList();
        assertThat(nft.ruleList(FAMILY_INET, "all").get(0).expressions()).containsExactlyElementsOf(written);
    }

    @Test
    void theWholeRulesetReadsAsText() {
        bridgeTableWithChains();
        nft.batch()
                .setElementsAdd(FAMILY_BRIDGE, TABLE, SET, List.of(NfSetKey.ifindexes(3, 4)))
                .ruleAdd(FAMILY_BRIDGE, TABLE, "forward", blockedPairDrop())
                .ruleAdd(FAMILY_BRIDGE, TABLE, "node-a", List.of(NfExpression.verdict(NfExpression.VERDICT_ACCEPT)))
                .tableAdd(FAMILY_INET, "empty", 0)
                .commit();
        List<NfRule> rules = nft.ruleList(FAMILY_BRIDGE, TABLE);

        assertThat(nft.rulesetText()).isEqualTo("""
                table bridge isonet-faults
                  set blocked { type iface_index . iface_index; } elements { 0x0300000004000000 }
                  chain forward { type filter hook forward priority -200; policy accept; }
                    meta iif => reg 1; meta oif => reg 9; lookup reg 1 set blocked; drop # handle %d
                  chain input { type filter hook input priority -200; policy accept; }
                  chain output { type filter hook output priority -200; policy accept; }
                  chain node-a
                    accept # handle %d
                table inet empty
                """.formatted(rules.get(0).handle(), rules.get(1).handle()));
    }

    @Test
    void aRefusedRuleIsNamedWithItsExpressions() {
        bridgeTableWithChains();

        assertThatThrownBy(() -> nft.batch().ruleAdd(FAMILY_BRIDGE, TABLE, "forward", List.of(
                NfExpression.meta(NfExpression.META_IIF, REG_1),
                NfExpression.lookup("missing", REG_1, true))).commit())
                .isInstanceOf(LinuxException.class)
                .hasMessageStartingWith("add nf_tables rule bridge isonet-faults forward:"
                        + " meta iif => reg 1; lookup reg 1 set missing invert (nf_tables kernel test) failed: ENOENT");
        assertThat(rulesOf(FAMILY_BRIDGE, TABLE)).isEmpty();
    }
}
