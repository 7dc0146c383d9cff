package dev.isonet.internal.faults;

import static dev.isonet.internal.netlink.NfExpression.REG_1;
import static dev.isonet.internal.netlink.NfTables.FAMILY_INET;

import dev.isonet.internal.netlink.NfExpression;
import dev.isonet.internal.netlink.NfSetKey;
import dev.isonet.internal.netlink.NfTables;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The table in which a namespace queues the packets to delay to this JVM, where the kernel has no sch_netem.
 * Every packet crosses a veth before it is queued: held in the sender's own namespace, a TCP packet would
 * count against its socket until its verdict, and TCP's small-queue limit would then throttle the sender to
 * a few packets per delay (measured: 0.4 Mbit/s through a 50 ms delay, against 170 Mbit/s once the packet
 * has crossed). So a node's egress delay is served where its packets arrive: in every other node, and in
 * the router for what it routes; a node's ingress delay in the node; the outside's in the router.
 *
 * <p>In a node namespace ({@code eth0} has index 2):
 * <pre>
 * table inet isonet-delay {
 *   set senders { type ether_addr; }                      # nodes whose egress is delayed
 *   set delayed_in { type iface_index; }                  # {2} while the node's ingress is delayed
 *   chain prerouting { type filter hook prerouting priority -300;
 *     meta protocol ip6 meta l4proto ipv6-icmp icmpv6 type 133-137 accept
 *     meta iif 2 ether saddr @senders queue num 65001 bypass
 *     meta iif @delayed_in queue num 65001 bypass
 *   }
 * }
 * </pre>
 * In the router namespace, with the bridge's index and MAC and the uplink's index:
 * <pre>
 * table inet isonet-delay {
 *   set senders { type ether_addr; }
 *   set delayed_in { type iface_index; }                  # {$uplink} while the outside's ingress is delayed
 *   set delayed_out { type iface_index; }                 # {$uplink} while the outside's egress is delayed
 *   chain prerouting { type filter hook prerouting priority -300;
 *     (neighbour discovery accept)
 *     meta iif $bridge ether daddr $bridgeMac ether saddr @senders queue num 65001 bypass   # routed from a node
 *     meta iif @delayed_in queue num 65001 bypass
 *   }
 *   chain postrouting { type filter hook postrouting priority 300;
 *     (neighbour discovery accept)
 *     meta oif @delayed_out queue num 65001 bypass
 *   }
 * }
 * </pre>
 * The rules never change once the table is made; a change rewrites the sets that differ, in one batch (a
 * rule with the xt target costs the kernel several times more to add than a set element).
 * Priority -300 comes before connection tracking, so a queued packet has no unconfirmed conntrack entry;
 * 300 comes after the router's NAT. Neighbour discovery passes, as it does through every fault. Only
 * packets that arrive on {@code eth0} are queued: a node's loopback traffic is never delayed. Bridged
 * frames between two nodes never reach the router's queue (their destination MAC is the other node's),
 * also where br_netfilter shows them to the router's IP hooks. {@code bypass}: if no socket is bound to the
 * queue, packets pass rather than drop. One queue number per namespace: the kernel keeps queues per
 * network namespace, so every namespace has its own queue 65001.
 */
public final class DelayTable {
    public static final String TABLE = "isonet-delay";
    public static final int QUEUE = 65001;
    /** The kernel holds at most this many packets per queue; more are dropped, as netem's limit drops them. */
    public static final int MAX_HELD = 10_000;
    static final String SENDERS = "senders";
    static final String DELAYED_IN = "delayed_in";
    static final String DELAYED_OUT = "delayed_out";
    static final String PREROUTING = "prerouting";
    static final String POSTROUTING = "postrouting";
    static final int PREROUTING_PRIORITY = -300;
    static final int POSTROUTING_PRIORITY = 300;
    private static final int ETHER_DESTINATION = 0;
    private static final int ETHER_SOURCE = 6;
    private static final int ETHER_ADDRESS_LENGTH = 6;

    /**
     * Where a table is: a node's namespace (packets arrive on {@code link}), or the router's (frames routed
     * from nodes arrive on {@code link}, the bridge, addressed to {@code bridgeMac}; the outside is
     * {@code uplink}).
     */
    public record Place(boolean router, int link, long bridgeMac, int uplink) {
        public static Place node(int link) {
            return new Place(false, link, 0, 0);
        }

        public static Place router(int bridge, long bridgeMac, int uplink) {
            return new Place(true, bridge, bridgeMac, uplink);
        }
    }

    /**
     * What a table holds: the MACs of the nodes whose egress is delayed, and whether the place's ingress is
     * delayed (a node's own; the router: what comes in through the uplink) and its egress (the router: what
     * goes out through the uplink; never for a node, whose egress is served where its packets arrive).
     */
    public record Content(SortedSet<Long> senders, boolean ingress, boolean egress) {
        public static final Content EMPTY = new Content(new TreeSet<>(), false, false);

        public Content {
            senders = new TreeSet<>(senders);
        }

        public boolean isEmpty() {
            return senders.isEmpty() && !ingress && !egress;
        }
    }

    private DelayTable() {}

    /** Adds to {@code batch} the table, its sets, chains and rules, holding {@code content}. */
    public static void prepare(NfTables.Batch batch, Place place, Content content) {
        batch.tableAdd(FAMILY_INET, TABLE, 0)
                .setAdd(FAMILY_INET, TABLE, SENDERS, NfSetKey.ETHER_ADDR, 0)
                .setAdd(FAMILY_INET, TABLE, DELAYED_IN, NfSetKey.IFINDEX, 0);
        if (place.router()) {
            batch.setAdd(FAMILY_INET, TABLE, DELAYED_OUT, NfSetKey.IFINDEX, 0);
        }
        batch.chainAdd(FAMILY_INET, TABLE, PREROUTING, "filter", NfTables.HOOK_PREROUTING, PREROUTING_PRIORITY);
        batch.ruleAdd(FAMILY_INET, TABLE, PREROUTING, FaultTables.neighbourDiscoveryAccept());
        batch.ruleAdd(FAMILY_INET, TABLE, PREROUTING, senders(place));
        batch.ruleAdd(FAMILY_INET, TABLE, PREROUTING, linkIn(NfExpression.META_IIF, DELAYED_IN));
        if (place.router()) {
            batch.chainAdd(FAMILY_INET, TABLE, POSTROUTING, "filter", NfTables.HOOK_POSTROUTING,
                    POSTROUTING_PRIORITY);
            batch.ruleAdd(FAMILY_INET, TABLE, POSTROUTING, FaultTables.neighbourDiscoveryAccept());
            batch.ruleAdd(FAMILY_INET, TABLE, POSTROUTING, linkIn(NfExpression.META_OIF, DELAYED_OUT));
        }
        writeChanges(batch, place, null, content);
    }

    /**
     * Adds to {@code batch} the rewrite (flush, then add) of each set whose contents differ from
     * {@code before} (null: a table just made, empty), and returns how many it rewrote.
     */
    public static int writeChanges(NfTables.Batch batch, Place place, Content before, Content after) {
        int changed = rewrite(batch, SENDERS, before == null ? null : before.senders(), after.senders(),
                DelayTable::mac);
        int in = place.router() ? place.uplink() : place.link();
        changed += rewrite(batch, DELAYED_IN, before == null ? null : links(before.ingress(), in),
                links(after.ingress(), in), NfSetKey::ifindexes);
        if (place.router()) {
            changed += rewrite(batch, DELAYED_OUT, before == null ? null : links(before.egress(), place.uplink()),
                    links(after.egress(), place.uplink()), NfSetKey::ifindexes);
        }
        return changed;
    }

    private static SortedSet<Integer> links(boolean delayed, int link) {
        return delayed ? new TreeSet<>(List.of(link)) : new TreeSet<>();
    }

    private static <T> int rewrite(NfTables.Batch batch, String set, SortedSet<T> before, SortedSet<T> after,
                                   java.util.function.Function<T, byte[]> key) {
        if (before == null ? after.isEmpty() : before.equals(after)) {
            return 0;
        }
        if (before != null) {
            batch.setFlush(FAMILY_INET, TABLE, set);
        }
        if (!after.isEmpty()) {
            batch.setElementsAdd(FAMILY_INET, TABLE, set, after.stream().map(key).toList());
        }
        return 1;
    }

    /** {@code meta iif $link [ether daddr $bridgeMac] ether saddr @senders queue num 65001 bypass}. */
    private static List<NfExpression> senders(Place place) {
        List<NfExpression> senders = new ArrayList<>(List.of(
                NfExpression.meta(NfExpression.META_IIF, REG_1),
                NfExpression.cmpEq(REG_1, NfExpression.hostU32(place.link()))));
        if (place.router()) {
            senders.add(NfExpression.payload(NfExpression.PAYLOAD_LINK_HEADER, ETHER_DESTINATION,
                    ETHER_ADDRESS_LENGTH, REG_1));
            senders.add(NfExpression.cmpEq(REG_1, mac(place.bridgeMac())));
        }
        senders.add(NfExpression.payload(NfExpression.PAYLOAD_LINK_HEADER, ETHER_SOURCE, ETHER_ADDRESS_LENGTH,
                REG_1));
        senders.add(NfExpression.lookup(SENDERS, REG_1, false));
        senders.add(queue());
        return senders;
    }

    /** {@code meta iif|oif @$set queue num 65001 bypass}. */
    private static List<NfExpression> linkIn(int metaKey, String set) {
        return List.of(NfExpression.meta(metaKey, REG_1), NfExpression.lookup(set, REG_1, false), queue());
    }

    /** {@code queue num 65001 bypass}, as the xt NFQUEUE target (this kernel has no nft queue expression). */
    static NfExpression queue() {
        return NfExpression.nfqueue(QUEUE, 1, NfExpression.NFQ_FLAG_BYPASS);
    }

    /** A MAC address held in the low 48 bits of a long, as the 6 bytes of {@code ether saddr}. */
    public static byte[] mac(long mac) {
        byte[] bytes = new byte[ETHER_ADDRESS_LENGTH];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (mac >>> (8 * (ETHER_ADDRESS_LENGTH - 1 - i)));
        }
        return bytes;
    }

    /** The 6 bytes of a MAC address as a long; -1 for anything else. */
    public static long mac(byte[] bytes) {
        if (bytes == null || bytes.length != ETHER_ADDRESS_LENGTH) {
            return -1;
        }
        long mac = 0;
        for (byte b : bytes) {
            mac = (mac << 8) | (b & 0xff);
        }
        return mac;
    }
}
