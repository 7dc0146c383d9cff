package dev.isonet.internal.diagnostics;

import dev.isonet.Fault;
import dev.isonet.LogLine;
import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.NodeProcess;
import dev.isonet.internal.netlink.NfTables;
import dev.isonet.internal.netlink.Rtnetlink;
import dev.isonet.internal.ns.HostNamespaces;
import dev.isonet.internal.ns.Namespace;
import dev.isonet.internal.topology.Router;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Writes a network's diagnostics folder: {@code capture.pcap}, {@code topology.txt}, {@code nftables.txt},
 * {@code events.txt}, and a log file per process started in a node. Each part is written on its own: one that
 * fails (a node closed meanwhile) says so in its file, and the others are still written.
 */
public final class Diagnostics {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    public static final String CAPTURE = "capture.pcap";
    public static final String TOPOLOGY = "topology.txt";
    public static final String NFTABLES = "nftables.txt";
    public static final String EVENTS = "events.txt";

    private Diagnostics() {}

    /** What was written, and what the capture held. */
    public record Written(Path directory, List<Path> files, String capture) {}

    /** Logs {@code message} at WARNING, once per JVM. */
    public static void warnOnce(String message) {
        if (WARNED.add(message)) {
            LOG.log(System.Logger.Level.WARNING, message);
        }
    }

    /** Writes the folder for {@code network} into {@code directory}, and returns the files. */
    public static List<Path> write(Network network, Path directory) {
        return writeAll(network, directory).files();
    }

    /** Writes the folder for {@code network} into {@code directory}. */
    public static Written writeAll(Network network, Path directory) {
        NetworkAccess.Internals internals = NetworkAccess.of(network);
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            String capture = writeCapture(internals, directory, files);
            files.add(write(directory.resolve(TOPOLOGY), topology(network, internals)));
            files.add(write(directory.resolve(NFTABLES), nftables(network, internals)));
            files.add(write(directory.resolve(EVENTS), internals.events().text()));
            files.addAll(processLogs(network, directory));
            return new Written(directory, files, capture);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the diagnostics of network " + network.subnet() + " to "
                    + directory, e);
        }
    }

    private static String writeCapture(NetworkAccess.Internals internals, Path directory, List<Path> files)
            throws IOException {
        Capture capture = internals.capture();
        if (capture == null) {
            return "no capture: " + internals.captureProblem();
        }
        Path file = directory.resolve(CAPTURE);
        try (OutputStream out = Files.newOutputStream(file)) {
            Capture.Summary summary = capture.writePcap(out);
            files.add(file);
            return summary.toString();
        }
    }

    private static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    static String topology(Network network, NetworkAccess.Internals internals) {
        StringBuilder out = new StringBuilder();
        out.append("network ").append(network.subnet()).append(", ").append(AddressText.subnet(network.ipv6Subnet()))
                .append(network.nat() ? ", NAT" : ", no NAT").append("; gateway ")
                .append(network.gateway().getHostAddress()).append(", host ")
                .append(network.hostAddress().getHostAddress()).append(", egress ")
                .append(network.egressAddress().getHostAddress()).append('\n');
        for (Node node : network.nodes()) {
            out.append("\nnode '").append(node.name()).append("' (").append(node.ipv4().getHostAddress()).append(", ")
                    .append(AddressText.of(node.ipv6())).append("), bridge port ").append(internals.port(node))
                    .append('\n');
            out.append(section(() -> {
                Namespace namespace = internals.namespace(node);
                try (Rtnetlink rt = namespace.openInNetwork(() -> Rtnetlink.open("node '" + node.name() + "'"))) {
                    return TopologyText.of(rt, index -> null);
                }
            }));
        }
        out.append("\nrouter (bridge br0 and its ports, uplink to the host)\n");
        out.append(section(() -> {
            try (Rtnetlink rt = HostNamespaces.inNetwork(internals.routerNetFd(), "router",
                    () -> Rtnetlink.open("router of network " + network.subnet()))) {
                IntFunction<String> ports = portNotes(network, internals, rt);
                return TopologyText.of(rt, ports);
            }
        }));
        out.append("\nhost (its end of the uplink)\n");
        out.append(section(() -> HostNamespaces.onHostThread(() -> {
            try (Rtnetlink rt = Rtnetlink.open("host namespace")) {
                return TopologyText.hostLink(rt, network.hostLink());
            }
        })));
        return out.toString();
    }

    /** "node 'a'" beside each bridge port of a node, with the port's state. */
    private static IntFunction<String> portNotes(Network network, NetworkAccess.Internals internals, Rtnetlink rt) {
        java.util.Map<String, String> byPort = new java.util.HashMap<>();
        for (Node node : network.nodes()) {
            byPort.put(internals.port(node), "node '" + node.name() + "'");
        }
        java.util.Map<Integer, String> notes = new java.util.HashMap<>();
        for (Rtnetlink.Link link : rt.linkList()) {
            String node = byPort.get(link.name());
            if (link.index() >= Router.FIRST_PORT) {
                int state = rt.bridgePortState(link.index());
                notes.put(link.index(), (node != null ? node : "a closed node") + ", bridge port "
                        + portState(state));
            } else if (link.index() == Router.BRIDGE) {
                notes.put(link.index(), "the gateway");
            }
        }
        return notes::get;
    }

    private static String portState(int state) {
        return switch (state) {
            case 0 -> "disabled";
            case 1 -> "listening";
            case 2 -> "learning";
            case 3 -> "forwarding";
            case 4 -> "blocking";
            default -> "state " + state;
        };
    }

    static String nftables(Network network, NetworkAccess.Internals internals) {
        StringBuilder out = new StringBuilder();
        List<Fault> faults = network.faults();
        out.append("active faults, oldest first:\n");
        if (faults.isEmpty()) {
            out.append("  (none)\n");
        }
        for (Fault fault : faults) {
            out.append("  ").append(fault).append('\n');
        }
        out.append("\nrouter namespace (nft list ruleset, decoded)\n");
        out.append(section(() -> {
            try (NfTables nft = HostNamespaces.inNetwork(internals.routerNetFd(), "router",
                    () -> NfTables.open("router of network " + network.subnet()))) {
                return indent(nft.rulesetText());
            }
        }));
        for (Node node : network.nodes()) {
            String rules = section(() -> {
                try (NfTables nft = internals.namespace(node).openInNetwork(
                        () -> NfTables.open("node '" + node.name() + "'"))) {
                    return indent(nft.rulesetText());
                }
            });
            if (!rules.isBlank()) {
                out.append("\nnode '").append(node.name()).append("'\n").append(rules);
            }
        }
        return out.toString();
    }

    private static List<Path> processLogs(Network network, Path directory) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Node node : network.nodes()) {
            List<NodeProcess> processes = node.processes();
            for (int i = 0; i < processes.size(); i++) {
                NodeProcess process = processes.get(i);
                StringBuilder text = new StringBuilder().append(process).append(", ")
                        .append(process.isAlive() ? "running" : "exited with code " + process.exitCode())
                        .append(";\nthe lines kept (isonet.log.lines), times in UTC:\n");
                for (LogLine line : process.logs()) {
                    text.append(line.time()).append(' ').append(line).append('\n');
                }
                files.add(write(directory.resolve(processLogName(node.name(), i + 1, process.command())), text.toString()));
            }
        }
        return files;
    }

    /** {@code process-<node>-<n>-<program>.log}, the program's file name only, in safe characters. */
    static String processLogName(String node, int number, List<String> command) {
        String program = command.isEmpty() ? "process" : Path.of(command.get(0)).getFileName().toString();
        program = program.replaceAll("[^A-Za-z0-9._-]", "_");
        return "process-" + node + "-" + number + "-" + program + ".log";
    }

    private static String indent(String text) {
        return text.isEmpty() ? "" : "  " + text.strip().replace("\n", "\n  ") + "\n";
    }

    /** One part's text, or a line that says why it could not be read. */
    private static String section(java.util.concurrent.Callable<String> part) {
        try {
            return part.call();
        } catch (Exception e) {
            return "  (could not be read: " + e.getMessage() + ")\n";
        }
    }
}
