package dev.isonet.internal.faults;

import static dev.isonet.internal.netlink.NfExpression.REG32_01;
import static dev.isonet.internal.netlink.NfExpression.REG_1;
import static dev.isonet.internal.netlink.NfTables.FAMILY_BRIDGE;
import static dev.isonet.internal.netlink.NfTables.FAMILY_INET;

import dev.isonet.internal.netlink.NfExpression;
import dev.isonet.internal.netlink.NfSetKey;
import dev.isonet.internal.netlink.NfTables;
import java.util.ArrayList;
import java.util.List;

/**
 * The fault tables of a router namespace, made ahead of need with the router (the first base chain of a
 * namespace costs about a millisecond). Faults then only rewrite sets and regular chains.
 *
 * <p>Equivalent to:
 * <pre>
 * table bridge isonet-faults {
 *   set node_pairs { type iface_index . iface_index; }   # frames from port . to port, dropped
 *   set isolated { type iface_index; }                   # ports cut from every other port
 *   set outbound { type iface_index; }                   # ports whose frames to the router are dropped
 *   set inbound { type iface_index; }                    # ports the router's frames to are dropped
 *   chain forward { type filter hook forward priority -200;   # port to port
 *     meta protocol arp accept; meta protocol ip6 meta l4proto ipv6-icmp icmpv6 type 133-137 accept
 *     meta iif . meta oif @node_pairs drop; meta iif @isolated drop; meta oif @isolated drop
 *     jump forward_loss }
 *   chain input { type filter hook input priority -200;       # port to the router (host, outside)
 *     (ARP, ND accept); meta iif @outbound drop; jump input_loss }
 *   chain output { type filter hook output priority -200;     # router to port
 *     (ARP, ND accept); meta oif @inbound drop; jump output_loss }
 *   chain forward_loss { }  chain input_loss { }  chain output_loss { }
 * }
 * table inet isonet-faults {
 *   set address_pairs { type ipv4_addr . ipv4_addr; }   # saddr . daddr, dropped (external hosts)
 *   chain forward { type filter hook forward priority -10;
 *     meta nfproto ipv4 ip saddr . ip daddr @address_pairs drop; jump uplink_loss }
 *   chain uplink_loss { }
 * }
 * </pre>
 *
 * <p>ARP and neighbour discovery pass so that a one-way block stays one way: otherwise the side that may
 * still send never learns the other's link address. There is no conntrack accept before the drops, so
 * established connections are cut as well.
 */
public final class FaultTables {
    public static final String TABLE = "isonet-faults";
    static final String NODE_PAIRS = "node_pairs";
    static final String ISOLATED = "isolated";
    static final String OUTBOUND = "outbound";
    static final String INBOUND = "inbound";
    static final String FORWARD_LOSS = "forward_loss";
    static final String INPUT_LOSS = "input_loss";
    static final String OUTPUT_LOSS = "output_loss";
    static final String ADDRESS_PAIRS = "address_pairs";
    static final String UPLINK_LOSS = "uplink_loss";
    private static final int INET_PRIORITY = -10;
    private static final int IPV4_SOURCE_OFFSET = 12;
    private static final byte[] ICMPV6 = {NfExpression.IPPROTO_ICMPV6};
    /** ICMPv6 router and neighbour solicitations and advertisements, and redirects. */
    private static final byte[] ND_FIRST_TYPE = {(byte) 133};
    private static final byte[] ND_LAST_TYPE = {(byte) 137};

    private FaultTables() {}

    /** Makes both tables, their sets and chains, and the rules that never change, in one batch. */
    public static void prepare(NfTables nft) {
        NfTables.Batch batch = nft.batch()
                .tableAdd(FAMILY_BRIDGE, TABLE, 0)
                .setAdd(FAMILY_BRIDGE, TABLE, NODE_PAIRS, NfSetKey.IFINDEX.concat(NfSetKey.IFINDEX), 0)
                .setAdd(FAMILY_BRIDGE, TABLE, ISOLATED, NfSetKey.IFINDEX, 0)
                .setAdd(FAMILY_BRIDGE, TABLE, OUTBOUND, NfSetKey.IFINDEX, 0)
                .setAdd(FAMILY_BRIDGE, TABLE, INBOUND, NfSetKey.IFINDEX, 0)
                .chainAdd(FAMILY_BRIDGE, TABLE, FORWARD_LOSS)
                .chainAdd(FAMILY_BRIDGE, TABLE, INPUT_LOSS)
                .chainAdd(FAMILY_BRIDGE, TABLE, OUTPUT_LOSS);
        bridgeChain(batch, "forward", NfTables.HOOK_FORWARD, List.of(
                List.of(NfExpression.meta(NfExpression.META_IIF, REG_1),
                        NfExpression.meta(NfExpression.META_OIF, REG32_01),
                        NfExpression.lookup(NODE_PAIRS, REG_1, false),
                        NfExpression.verdict(NfExpression.VERDICT_DROP)),
                portIn(NfExpression.META_IIF, ISOLATED),
                portIn(NfExpression.META_OIF, ISOLATED),
                List.of(NfExpression.jump(FORWARD_LOSS))));
        bridgeChain(batch, "input", NfTables.HOOK_INPUT, List.of(
                portIn(NfExpression.META_IIF, OUTBOUND),
                List.of(NfExpression.jump(INPUT_LOSS))));
        bridgeChain(batch, "output", NfTables.HOOK_OUTPUT, List.of(
                portIn(NfExpression.META_OIF, INBOUND),
                List.of(NfExpression.jump(OUTPUT_LOSS))));
        batch.tableAdd(FAMILY_INET, TABLE, 0)
                .setAdd(FAMILY_INET, TABLE, ADDRESS_PAIRS, NfSetKey.IPV4_ADDR.concat(NfSetKey.IPV4_ADDR), 0)
                .chainAdd(FAMILY_INET, TABLE, UPLINK_LOSS)
                .chainAdd(FAMILY_INET, TABLE, "forward", "filter", NfTables.HOOK_FORWARD, INET_PRIORITY)
                .ruleAdd(FAMILY_INET, TABLE, "forward", List.of(
                        NfExpression.meta(NfExpression.META_NFPROTO, REG_1),
                        NfExpression.cmpEq(REG_1, new byte[] {NfExpression.NFPROTO_IPV4}),
                        // saddr and daddr are adjacent: one 8-byte load, as nft writes ip saddr . ip daddr
                        NfExpression.payload(IPV4_SOURCE_OFFSET, 8, REG_1),
                        NfExpression.lookup(ADDRESS_PAIRS, REG_1, false),
                        NfExpression.verdict(NfExpression.VERDICT_DROP)))
                .ruleAdd(FAMILY_INET, TABLE, "forward", List.of(NfExpression.jump(UPLINK_LOSS)));
        batch.commit();
    }

    private static void bridgeChain(NfTables.Batch batch, String name, int hook, List<List<NfExpression>> rules) {
        batch.chainAdd(FAMILY_BRIDGE, TABLE, name, "filter", hook, NfTables.BRIDGE_PRIORITY_FILTER);
        List<List<NfExpression>> all = new ArrayList<>();
        all.add(arpAccept());
        all.add(neighbourDiscoveryAccept());
        all.addAll(rules);
        for (List<NfExpression> rule : all) {
            batch.ruleAdd(FAMILY_BRIDGE, TABLE, name, rule);
        }
    }

    /** {@code meta $iif|$oif @$set drop}. */
    private static List<NfExpression> portIn(int metaKey, String set) {
        return List.of(NfExpression.meta(metaKey, REG_1), NfExpression.lookup(set, REG_1, false),
                NfExpression.verdict(NfExpression.VERDICT_DROP));
    }

    /** {@code meta protocol arp accept}: in the bridge family, meta protocol is the frame's ether type. */
    static List<NfExpression> arpAccept() {
        return List.of(
                NfExpression.meta(NfExpression.META_PROTOCOL, REG_1),
                NfExpression.cmpEq(REG_1, NfExpression.be16(NfExpression.ETH_P_ARP)),
                NfExpression.verdict(NfExpression.VERDICT_ACCEPT));
    }

    /**
     * {@code meta protocol ip6 meta l4proto ipv6-icmp icmpv6 type 133-137 accept}. In the bridge family meta
     * nfproto is always "bridge", so IPv6 is recognised by its ether type.
     */
    static List<NfExpression> neighbourDiscoveryAccept() {
        return List.of(
                NfExpression.meta(NfExpression.META_PROTOCOL, REG_1),
                NfExpression.cmpEq(REG_1, NfExpression.be16(NfExpression.ETH_P_IPV6)),
                NfExpression.meta(NfExpression.META_L4PROTO, REG_1),
                NfExpression.cmpEq(REG_1, ICMPV6),
                NfExpression.payload(NfExpression.PAYLOAD_TRANSPORT_HEADER, 0, 1, REG_1),
                NfExpression.cmp(NfExpression.CMP_GTE, REG_1, ND_FIRST_TYPE),
                NfExpression.cmp(NfExpression.CMP_LTE, REG_1, ND_LAST_TYPE),
                NfExpression.verdict(NfExpression.VERDICT_ACCEPT));
    }
}
