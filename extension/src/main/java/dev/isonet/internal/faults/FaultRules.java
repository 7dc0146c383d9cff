package dev.isonet.internal.faults;

import static dev.isonet.internal.faults.FaultTables.TABLE;
import static dev.isonet.internal.netlink.NfExpression.REG_1;
import static dev.isonet.internal.netlink.NfTables.FAMILY_BRIDGE;
import static dev.isonet.internal.netlink.NfTables.FAMILY_INET;

import dev.isonet.internal.netlink.NfExpression;
import dev.isonet.internal.netlink.NfSetKey;
import dev.isonet.internal.netlink.NfTables;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What the fault tables of one router hold: the elements of each set and the rules of each loss chain,
 * compiled from the effects of every active fault. Sorted, so that the same faults always give the same
 * bytes. {@link #writeChanges} rewrites (flush, then add) each set or chain that differs from before.
 */
public record FaultRules(SortedSet<PortPair> nodePairs, SortedSet<Integer> isolated, SortedSet<Integer> outbound,
                         SortedSet<Integer> inbound, SortedSet<AddressPair> addressPairs,
                         List<LossRule> forwardLoss, List<LossRule> inputLoss, List<LossRule> outputLoss,
                         List<LossRule> uplinkLoss) {
    public static final FaultRules EMPTY = of(List.of(), 0);

    /** Frames entering the bridge at port {@code from} and leaving it at port {@code to}. */
    public record PortPair(int from, int to) {}

    /** IPv4 packets from {@code source} to {@code destination}, each as an unsigned 32-bit number. */
    public record AddressPair(long source, long destination) {}

    /** {@code meta iif|oif $link numgen random mod 1000 < $permille drop}. */
    public record LossRule(int link, boolean iif, int permille) {}

    private static final Comparator<PortPair> PORT_PAIRS =
            Comparator.comparingInt(PortPair::from).thenComparingInt(PortPair::to);
    private static final Comparator<AddressPair> ADDRESS_PAIRS =
            Comparator.comparingLong(AddressPair::source).thenComparingLong(AddressPair::destination);
    private static final Comparator<LossRule> LOSS_RULES =
            Comparator.comparingInt(LossRule::link).thenComparing(LossRule::iif);

    /** The rules for {@code effects}; {@code uplink} is the index of the router's uplink. */
    public static FaultRules of(Collection<Effect> effects, int uplink) {
        SortedSet<PortPair> nodePairs = new TreeSet<>(PORT_PAIRS);
        SortedSet<Integer> isolated = new TreeSet<>();
        SortedSet<Integer> outbound = new TreeSet<>();
        SortedSet<Integer> inbound = new TreeSet<>();
        SortedSet<AddressPair> addressPairs = new TreeSet<>(ADDRESS_PAIRS);
        SortedSet<LossRule> forwardLoss = new TreeSet<>(LOSS_RULES);
        SortedSet<LossRule> inputLoss = new TreeSet<>(LOSS_RULES);
        SortedSet<LossRule> outputLoss = new TreeSet<>(LOSS_RULES);
        SortedSet<LossRule> uplinkLoss = new TreeSet<>(LOSS_RULES);
        for (Effect effect : effects) {
            for (Cut cut : effect.cuts()) {
                Side from = cut.from();
                Side to = cut.to();
                if (from instanceof Side.Node a && to instanceof Side.Node b) {
                    nodePairs.add(new PortPair(a.port(), b.port()));
                } else if (from instanceof Side.Node a && to instanceof Side.Outside) {
                    outbound.add(a.port());
                } else if (from instanceof Side.Outside && to instanceof Side.Node b) {
                    inbound.add(b.port());
                } else if (from instanceof Side.Node a && to instanceof Side.Address b) {
                    addressPairs.add(new AddressPair(unsigned(a.ipv4()), unsigned(b.address())));
                } else if (from instanceof Side.Address a && to instanceof Side.Node b) {
                    addressPairs.add(new AddressPair(unsigned(a.address()), unsigned(b.ipv4())));
                }
                // Between the outside and an external host, or two of them: not through this network.
            }
            for (int port : effect.isolatedPorts()) {
                isolated.add(port);
                outbound.add(port);
                inbound.add(port);
            }
            for (Loss loss : effect.losses()) {
                if (loss.permille() == 0) {
                    continue;
                }
                if (loss.link() instanceof Side.Node node) {
                    // What the node sends enters the bridge at its port; what it receives leaves there.
                    LossRule rule = new LossRule(node.port(), loss.egress(), loss.permille());
                    forwardLoss.add(rule);
                    (loss.egress() ? inputLoss : outputLoss).add(rule);
                } else {
                    // Egress toward the outside leaves the router through the uplink.
                    uplinkLoss.add(new LossRule(uplink, !loss.egress(), loss.permille()));
                }
            }
        }
        return new FaultRules(nodePairs, isolated, outbound, inbound, addressPairs, List.copyOf(forwardLoss),
                List.copyOf(inputLoss), List.copyOf(outputLoss), List.copyOf(uplinkLoss));
    }

    private static long unsigned(Inet4Address address) {
        byte[] b = address.getAddress();
        return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    }

    /**
     * Adds to {@code batch} the rewrite of every set and chain that differs from {@code before}, and returns
     * how many it rewrote (0: nothing to send).
     */
    public int writeChanges(FaultRules before, NfTables.Batch batch) {
        int changed = 0;
        changed += rewriteSet(FAMILY_BRIDGE, FaultTables.NODE_PAIRS, before.nodePairs, nodePairs, batch,
                pair -> NfSetKey.ifindexes(pair.from(), pair.to()));
        changed += rewriteSet(FAMILY_BRIDGE, FaultTables.ISOLATED, before.isolated, isolated, batch,
                NfSetKey::ifindexes);
        changed += rewriteSet(FAMILY_BRIDGE, FaultTables.OUTBOUND, before.outbound, outbound, batch,
                NfSetKey::ifindexes);
        changed += rewriteSet(FAMILY_BRIDGE, FaultTables.INBOUND, before.inbound, inbound, batch,
                NfSetKey::ifindexes);
        changed += rewriteSet(FAMILY_INET, FaultTables.ADDRESS_PAIRS, before.addressPairs, addressPairs, batch,
                FaultRules::addressKey);
        changed += rewriteChain(FAMILY_BRIDGE, FaultTables.FORWARD_LOSS, before.forwardLoss, forwardLoss, batch);
        changed += rewriteChain(FAMILY_BRIDGE, FaultTables.INPUT_LOSS, before.inputLoss, inputLoss, batch);
        changed += rewriteChain(FAMILY_BRIDGE, FaultTables.OUTPUT_LOSS, before.outputLoss, outputLoss, batch);
        changed += rewriteChain(FAMILY_INET, FaultTables.UPLINK_LOSS, before.uplinkLoss, uplinkLoss, batch);
        return changed;
    }

    private static <T> int rewriteSet(int family, String set, Collection<T> before, Collection<T> after,
                                      NfTables.Batch batch, Function<T, byte[]> key) {
        if (List.copyOf(before).equals(List.copyOf(after))) {
            return 0;
        }
        batch.setFlush(family, TABLE, set);
        if (!after.isEmpty()) {
            batch.setElementsAdd(family, TABLE, set, after.stream().map(key).toList());
        }
        return 1;
    }

    private static int rewriteChain(int family, String chain, List<LossRule> before, List<LossRule> after,
                                    NfTables.Batch batch) {
        if (before.equals(after)) {
            return 0;
        }
        batch.chainFlush(family, TABLE, chain);
        for (LossRule rule : after) {
            batch.ruleAdd(family, TABLE, chain, lossRule(rule));
        }
        return 1;
    }

    /** {@code meta iif|oif $link numgen random mod 1000 < $permille drop}. */
    static List<NfExpression> lossRule(LossRule rule) {
        List<NfExpression> expressions = new ArrayList<>(List.of(
                NfExpression.meta(rule.iif() ? NfExpression.META_IIF : NfExpression.META_OIF, REG_1),
                NfExpression.cmpEq(REG_1, NfExpression.hostU32(rule.link()))));
        expressions.addAll(NfExpression.numgenRandomBelow(1000, rule.permille(), REG_1));
        expressions.add(NfExpression.verdict(NfExpression.VERDICT_DROP));
        return expressions;
    }

    /** {@code ip saddr . ip daddr}: both addresses in network order, as they stand in the header. */
    private static byte[] addressKey(AddressPair pair) {
        byte[] key = new byte[8];
        for (int i = 0; i < 4; i++) {
            key[i] = (byte) (pair.source() >>> (24 - 8 * i));
            key[4 + i] = (byte) (pair.destination() >>> (24 - 8 * i));
        }
        return key;
    }

    @Override
    public String toString() {
        return "node_pairs " + nodePairs + ", isolated " + isolated + ", outbound " + outbound + ", inbound "
                + inbound + ", address_pairs " + addressPairs + ", loss forward " + forwardLoss + " input "
                + inputLoss + " output " + outputLoss + " uplink " + uplinkLoss;
    }
}
