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
    private FaultRules current = FaultRules.EMPTY;

    /** {@code nft} is a socket in the router namespace, whose tables {@link FaultTables#prepare} made. */
    public RouterFaults(NfTables nft, int uplink) {
        this.nft = nft;
        this.uplink = uplink;
    }

    /** Makes the tables hold the union of {@code effects}, in one transaction (none if nothing changes). */
    public synchronized void apply(Collection<Effect> effects) {
        FaultRules next = FaultRules.of(effects, uplink);
        NfTables.Batch batch = nft.batch();
        if (next.writeChanges(current, batch) > 0) {
            batch.commit();
        }
        current = next;
    }

    /** What the tables hold now, as this object compiled it. */
    public synchronized FaultRules current() {
        return current;
    }
}
