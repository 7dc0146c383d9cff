package dev.isonet.internal.topology;

import dev.isonet.internal.netlink.NfChain;
import dev.isonet.internal.netlink.NfTables;
import dev.isonet.internal.ns.HostNamespaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the host's firewall forwards what networks send beyond the host. Docker sets the iptables FORWARD
 * policy to DROP, and an accept in Isonet's own table cannot override a drop in another table at the same
 * hook, so NAT egress then dies in the host's forward hook. Isonet edits no table it does not own: it says
 * which chain drops and the rule a user adds.
 */
public final class HostForwarding {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    /** What a user adds so that networks' traffic crosses such a host; iso+ are networks, isx+ external hosts. */
    public static final String FIX = "iptables -I FORWARD -i iso+ -j ACCEPT && iptables -I FORWARD -o iso+ -m"
            + " conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT (on a Docker host, insert both into the"
            + " DOCKER-USER chain instead of FORWARD)";

    private HostForwarding() {}

    /**
     * The host's base chains at the forward hook whose policy drops (ip, ip6 and inet families), in nft syntax;
     * and a note when a legacy iptables filter table is loaded, whose policy cannot be read through nf_tables.
     */
    public static List<String> droppingChains() {
        List<String> found = new ArrayList<>();
        HostNamespaces.onHostThread(() -> {
            try (NfTables nft = NfTables.open("host namespace (forward policy)")) {
                for (NfChain chain : nft.chainList()) {
                    boolean ipFamily = chain.family() == NfTables.FAMILY_IPV4 || chain.family() == NfTables.FAMILY_IPV6
                            || chain.family() == NfTables.FAMILY_INET;
                    if (ipFamily && chain.hook() == NfTables.HOOK_FORWARD && chain.dropsByDefault()) {
                        found.add(chain.toString());
                    }
                }
            }
            return null;
        });
        try {
            if (Files.readString(Path.of("/proc/self/net/ip_tables_names")).lines().anyMatch("filter"::equals)) {
                found.add("a legacy iptables filter table (its FORWARD policy cannot be read without iptables)");
            }
        } catch (IOException e) {
            // no legacy iptables
        }
        return found;
    }

    /** Warns once per JVM, off the caller's path, when a NAT network is built on a host that drops forwarding. */
    static void warnIfBlocked() {
        if (WARNED.compareAndSet(false, true)) {
            HostNamespaces.background(() -> {
                List<String> chains;
                try {
                    chains = droppingChains();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "could not read the host's forward chains", e);
                    return;
                }
                if (!chains.isEmpty()) {
                    LOG.log(System.Logger.Level.WARNING, "NAT egress from Isonet networks may be blocked on this host:"
                            + " " + String.join("; ", chains) + " drops forwarded packets by default (Docker sets"
                            + " this). Nodes still reach each other and the host. To let them out: " + FIX
                            + ". 'isonet doctor' checks egress end to end.");
                }
            });
        }
    }
}
