package dev.isonet;

import dev.isonet.internal.linux.Capabilities;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * What Isonet needs from the process: CAP_NET_ADMIN and CAP_SYS_ADMIN (root has both). Read from the effective
 * capabilities of this process ({@code CapEff} in {@code /proc/self/status}) at each call.
 *
 * <pre>{@code
 * assumeTrue(Privileges.missing().isEmpty(), Privileges::problem); // skip, instead of fail, without them
 * }</pre>
 */
@API(status = API.Status.MAINTAINED, since = "0.1")
public final class Privileges {
    static final String ADVICE = "Isonet needs CAP_NET_ADMIN (links, addresses, routes, nf_tables) and"
            + " CAP_SYS_ADMIN (namespaces). Run the tests as root (e.g. 'sudo -E mvn verify'), or in a container"
            + " started with '--cap-add NET_ADMIN --cap-add SYS_ADMIN' (or '--privileged'); ci/ has runner"
            + " setups. To skip such tests instead, use @IsolatedNetwork(disabledWithoutPrivileges = true)";

    private Privileges() {}

    /**
     * The capabilities Isonet needs and this process lacks. If {@code /proc/self/status} cannot be read, both
     * count as missing.
     *
     * @return {@code "CAP_NET_ADMIN"} and {@code "CAP_SYS_ADMIN"} where missing; empty when Isonet can run
     */
    public static List<String> missing() {
        long effective = Capabilities.effective();
        List<String> missing = new ArrayList<>();
        if (!Capabilities.has(effective, Capabilities.CAP_NET_ADMIN)) {
            missing.add("CAP_NET_ADMIN");
        }
        if (!Capabilities.has(effective, Capabilities.CAP_SYS_ADMIN)) {
            missing.add("CAP_SYS_ADMIN");
        }
        return missing;
    }

    /**
     * What is missing, for a message: the capabilities, then how to get them (run as root, or a container with
     * {@code --cap-add NET_ADMIN --cap-add SYS_ADMIN}) or skip the tests instead.
     *
     * @return sentences starting {@code missing CAP_...}, or null when nothing is missing
     */
    public static String problem() {
        List<String> missing = missing();
        return missing.isEmpty() ? null : "missing " + String.join(" and ", missing) + ". " + ADVICE;
    }

    /** Set once the process was seen to have what it needs: capabilities are not dropped mid-run. */
    private static volatile boolean sufficient;

    static void require() {
        if (sufficient) {
            return;
        }
        String problem = problem();
        if (problem != null) {
            throw new IsonetException("Isonet cannot build networks here: " + problem);
        }
        sufficient = true;
    }
}
