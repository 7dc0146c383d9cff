package dev.isonet.internal.faults;

import dev.isonet.internal.netlink.NfTables;
import java.util.Collection;

/**
 * The fault tables of one router namespace and what they hold now. Each change is one nf_tables batch that
 * rewrites just the sets and chains whose contents change; the kernel applies all of it or none, and so does
 * this object's idea of what the tables hold.
 */
public final class RouterFaults {
    private final NfTables nft;
    private final int uplink;
    /** Why the kernel refused the tables, or null: networks work without them, faults do not. */
    private final RuntimeException unavailable;
    private FaultRules current = FaultRules.EMPTY;

    private RouterFaults(NfTables nft, int uplink, RuntimeException unavailable) {
        this.nft = nft;
        this.uplink = uplink;
        this.unavailable = unavailable;
    }

    /**
     * Makes the fault tables in the router namespace of {@code nft}. Where the kernel refuses them (no
     * nf_tables for bridges, say), the network still works, and each fault fails, saying why.
     */
    public static RouterFaults prepare(NfTables nft, int uplink) {
        try {
            FaultTables.prepare(nft);
            return new RouterFaults(nft, uplink, null);
        } catch (RuntimeException e) {
            return new RouterFaults(nft, uplink, e);
        }
    }

    /** Makes the tables hold the union of {@code effects}, in one transaction (none if nothing changes). */
    public synchronized void apply(Collection<Effect> effects) {
        if (unavailable != null) {
            throw new UnsupportedOperationException("the kernel refused Isonet's fault tables when the network was"
                    + " made (" + unavailable.getMessage() + "); faults need nf_tables for bridges"
                    + " (CONFIG_NF_TABLES_BRIDGE) and numgen (CONFIG_NFT_NUMGEN)", unavailable);
        }
        FaultRules next = FaultRules.of(effects, uplink);
        NfTables.Batch batch = nft.batch();
        if (next.writeChanges(current, batch) > 0) {
            batch.commit();
        }
        current = next;
    }

    /**
     * Empties the tables, in one transaction, for the router's next network; nothing to do where the kernel
     * refused them.
     */
    public synchronized void clear() {
        if (unavailable == null) {
            apply(java.util.List.of());
        }
    }

    /** What the tables hold now, as this object compiled it. */
    public synchronized FaultRules current() {
        return current;
    }
}
