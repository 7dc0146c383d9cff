package dev.isonet.internal.topology;

import static dev.isonet.internal.netlink.NfExpression.REG_1;

import dev.isonet.internal.netlink.NfExpression;
import dev.isonet.internal.netlink.NfTables;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The nf_tables rules of a network, as one batch each.
 *
 * <p>In the router: NAT, and isolation. Traffic that enters through the uplink reaches nodes only if it
 * comes from the host's own address or answers a connection a node opened, so one network can never reach
 * another through the host, and no outside host can open connections to nodes.
 *
 * <p>On the host: a table flagged "owner", bound to the socket that made it, which masquerades what the
 * network sends beyond the host. The kernel removes it when the socket closes, even if the JVM is killed.
 */
final class RouterRules {
    static final String TABLE = "isonet";
    /** Every network's host link is named iso + 8 hex digits. */
    static final String NETWORK_LINK_PREFIX = "iso";
    private static final int NAT_PRIORITY = 100;
    private static final int FILTER_PRIORITY = 0;
    private static final int IPV4_SOURCE_OFFSET = 12;
    private static final int IPV6_SOURCE_OFFSET = 8;

    private RouterRules() {}

    /**
     * The part that does not depend on the subnet, made ahead of need: the table, both base chains (the
     * first base chain and the first conntrack rule of a namespace cost about a millisecond each), and
     * {@code iifname $uplink ct state established,related accept}.
     */
    static void prepare(NfTables nft, String uplink) {
        nft.batch()
                .tableAdd(NfTables.FAMILY_INET, TABLE, 0)
                .chainAdd(NfTables.FAMILY_INET, TABLE, "forward", "filter", NfTables.HOOK_FORWARD, FILTER_PRIORITY)
                .ruleAdd(NfTables.FAMILY_INET, TABLE, "forward", List.of(
                        NfExpression.meta(NfExpression.META_IIFNAME, REG_1),
                        NfExpression.cmpEq(REG_1, NfExpression.interfaceName(uplink)),
                        NfExpression.ct(NfExpression.CT_STATE, REG_1),
                        NfExpression.mask(REG_1, hostInt(NfExpression.CT_ESTABLISHED_RELATED)),
                        NfExpression.cmpNeq(REG_1, new byte[4]),
                        NfExpression.verdict(NfExpression.VERDICT_ACCEPT)))
                .chainAdd(NfTables.FAMILY_INET, TABLE, "postrouting", "nat", NfTables.HOOK_POSTROUTING, NAT_PRIORITY)
                .commit();
    }

    /** The rest, once the subnet is known: isolation by the host's addresses, and masquerade if NAT is on. */
    static void router(NfTables nft, String uplink, InetAddress hostV4, InetAddress hostV6, boolean nat) {
        byte[] uplinkName = NfExpression.interfaceName(uplink);
        NfTables.Batch batch = nft.batch()
                .ruleAdd(NfTables.FAMILY_INET, TABLE, "forward",
                        dropFromUplinkUnlessFrom(uplinkName, NfExpression.NFPROTO_IPV4, IPV4_SOURCE_OFFSET, hostV4))
                .ruleAdd(NfTables.FAMILY_INET, TABLE, "forward",
                        dropFromUplinkUnlessFrom(uplinkName, NfExpression.NFPROTO_IPV6, IPV6_SOURCE_OFFSET, hostV6));
        if (nat) {
            batch.ruleAdd(NfTables.FAMILY_INET, TABLE, "postrouting", List.of(
                    NfExpression.meta(NfExpression.META_OIFNAME, REG_1),
                    NfExpression.cmpEq(REG_1, uplinkName),
                    NfExpression.masquerade()));
        }
        batch.commit();
    }

    /** {@code iifname $uplink meta nfproto $proto ip[6] saddr != $host drop}. */
    private static List<NfExpression> dropFromUplinkUnlessFrom(byte[] uplink, int nfproto, int offset, InetAddress host) {
        byte[] address = host.getAddress();
        return List.of(
                NfExpression.meta(NfExpression.META_IIFNAME, REG_1),
                NfExpression.cmpEq(REG_1, uplink),
                NfExpression.meta(NfExpression.META_NFPROTO, REG_1),
                NfExpression.cmpEq(REG_1, new byte[] {(byte) nfproto}),
                NfExpression.payload(offset, address.length, REG_1),
                NfExpression.cmpNeq(REG_1, address),
                NfExpression.verdict(NfExpression.VERDICT_DROP));
    }

    /**
     * {@code table inet isonet-<pid> (owner) { chain postrouting { type nat hook postrouting priority 100;
     * iifname "iso*" oifname != "iso*" masquerade } chain input { type filter hook input priority 0;
     * iifname "iso*" fib daddr type local fib daddr . iif type != local drop } }}.
     *
     * <p>Masquerade: what any network sends beyond the host leaves with the address of the host's outgoing
     * interface; what goes to another network does not, so that its router sees (and drops) it.
     *
     * <p>Input: a network reaches the host only at its own host address (the one on its uplink). The host
     * answers on any of its addresses by default, so without this a node of network B reached a service bound
     * on network A's host address, or on the host's own LAN address.
     */
    static void hostTable(NfTables hostNft, String table) {
        byte[] prefix = NETWORK_LINK_PREFIX.getBytes(StandardCharsets.US_ASCII);
        byte[] local = NfExpression.hostU32(NfExpression.RTN_LOCAL);
        hostNft.batch()
                .tableAdd(NfTables.FAMILY_INET, table, NfTables.TABLE_F_OWNER)
                .chainAdd(NfTables.FAMILY_INET, table, "postrouting", "nat", NfTables.HOOK_POSTROUTING, NAT_PRIORITY)
                .ruleAdd(NfTables.FAMILY_INET, table, "postrouting", List.of(
                        NfExpression.meta(NfExpression.META_IIFNAME, REG_1),
                        NfExpression.cmpEq(REG_1, prefix),
                        NfExpression.meta(NfExpression.META_OIFNAME, REG_1),
                        NfExpression.cmpNeq(REG_1, prefix),
                        NfExpression.masquerade()))
                .chainAdd(NfTables.FAMILY_INET, table, "input", "filter", NfTables.HOOK_INPUT, FILTER_PRIORITY)
                .ruleAdd(NfTables.FAMILY_INET, table, "input", List.of(
                        NfExpression.meta(NfExpression.META_IIFNAME, REG_1),
                        NfExpression.cmpEq(REG_1, prefix),
                        NfExpression.fib(NfExpression.FIB_DADDR, NfExpression.FIB_RESULT_ADDRTYPE, REG_1),
                        NfExpression.cmpEq(REG_1, local),
                        NfExpression.fib(NfExpression.FIB_DADDR | NfExpression.FIB_IIF,
                                NfExpression.FIB_RESULT_ADDRTYPE, REG_1),
                        NfExpression.cmpNeq(REG_1, local),
                        NfExpression.verdict(NfExpression.VERDICT_DROP)))
                .commit();
    }

    private static byte[] hostInt(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }
}
