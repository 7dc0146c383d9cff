package dev.isonet.internal.faults;

import dev.isonet.internal.netlink.NfQueue;
import dev.isonet.internal.netlink.NfTables;
import dev.isonet.internal.netlink.Rtnetlink;
import dev.isonet.internal.netlink.TrafficControl;
import dev.isonet.internal.ns.HostNamespaces;
import java.time.Duration;
import java.util.List;

/**
 * How this kernel delays packets, found out once per JVM by trying, in a namespace made for it and closed
 * right after: {@link #NETEM} if it takes a netem qdisc (on the probe's {@code lo}), else {@link #QUEUE} if it
 * takes an inet rule with the xt NFQUEUE target and binds a queue; else neither, and every delay fails naming
 * what the kernel lacks.
 */
public enum DelayMechanism {
    /** sch_netem on the sending end of each link, over rtnetlink. */
    NETEM,
    /** nfnetlink_queue: packets queued to this JVM through nf_tables and accepted once due (see {@link DelayTable}). */
    QUEUE;

    private static final int LO = 1;
    private static final String PROBE_TABLE = "isonet-delay-probe";
    private static Object detected;

    /**
     * The mechanism of this kernel.
     *
     * @throws UnsupportedOperationException if the kernel has neither, naming what is missing and how to get it
     */
    public static DelayMechanism get() {
        Object result;
        synchronized (DelayMechanism.class) {
            if (detected == null) {
                detected = HostNamespaces.create(null, fds -> {
                    try {
                        return probe();
                    } finally {
                        fds.close();
                    }
                });
            }
            result = detected;
        }
        if (result instanceof DelayMechanism mechanism) {
            return mechanism;
        }
        UnsupportedOperationException why = (UnsupportedOperationException) result;
        throw new UnsupportedOperationException(why.getMessage(), why.getCause());
    }

    /** In the probe namespace: what works, or the exception that says why nothing does. */
    private static Object probe() {
        String where = "delay probe namespace";
        RuntimeException netem;
        try (Rtnetlink rt = Rtnetlink.open(where)) {
            rt.apply(TrafficControl.qdiscAddNetem(LO, TrafficControl.Netem.delay(Duration.ofMillis(1), Duration.ZERO)));
            return NETEM;
        } catch (RuntimeException e) {
            netem = e;
        }
        try (NfTables nft = NfTables.open(where);
             NfQueue queue = NfQueue.open(DelayTable.QUEUE, NfQueue.NFQNL_COPY_META, 0, 16, NfQueue.NFQA_CFG_F_GSO,
                     100, where)) {
            nft.batch().tableAdd(NfTables.FAMILY_INET, PROBE_TABLE, 0)
                    .chainAdd(NfTables.FAMILY_INET, PROBE_TABLE, "prerouting", "filter", NfTables.HOOK_PREROUTING, 0)
                    .ruleAdd(NfTables.FAMILY_INET, PROBE_TABLE, "prerouting", List.of(DelayTable.queue()))
                    .commit();
            return QUEUE;
        } catch (RuntimeException e) {
            UnsupportedOperationException missing = new UnsupportedOperationException("delay needs sch_netem"
                    + " (CONFIG_NET_SCH_NETEM), or else nfnetlink_queue (CONFIG_NETFILTER_NETLINK_QUEUE) with the xt"
                    + " NFQUEUE target (CONFIG_NETFILTER_XT_TARGET_NFQUEUE) through nft_compat (CONFIG_NFT_COMPAT);"
                    + " this kernel has neither: netem: " + netem.getMessage() + "; queue: " + e.getMessage()
                    + ". Load the modules (modprobe sch_netem, or modprobe nfnetlink_queue xt_NFQUEUE nft_compat) or"
                    + " use a kernel built with them", e);
            missing.addSuppressed(netem);
            return missing;
        }
    }

    /** For tests: what this JVM found, without probing; null before the first delay. */
    static Object detected() {
        synchronized (DelayMechanism.class) {
            return detected;
        }
    }

}
