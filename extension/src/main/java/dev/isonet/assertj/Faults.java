package dev.isonet.assertj;

import dev.isonet.Fault;
import dev.isonet.Network;
import java.util.List;
import java.util.stream.Collectors;

/** The line of a failure message that lists the network's active faults. */
final class Faults {
    private Faults() {}

    static String line(Network network) {
        List<Fault> faults;
        try {
            faults = network.faults();
        } catch (RuntimeException e) {
            return "Faults active on network " + network.subnet() + ": unknown (" + e.getMessage() + ")";
        }
        return "Faults active on network " + network.subnet() + ": " + (faults.isEmpty() ? "none"
                : faults.stream().map(Fault::toString).collect(Collectors.joining("; ")));
    }
}
