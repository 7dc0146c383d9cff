package dev.isonet.junit;

import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.NodeProcess;
import dev.isonet.internal.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The last lines of the processes of a failed test's nodes, added to the failure as a suppressed exception (so
 * they are printed with its stack trace wherever the failure is shown), published as a report entry, and, on
 * JUnit 5.14+, as a file {@code node-logs.txt}. How many lines: the setting {@code isonet.report.lines}.
 */
final class NodeLogs extends RuntimeException {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    private static final long serialVersionUID = 1L;

    private NodeLogs(String text) {
        super(text, null, false, false); // no stack trace: only the text matters
    }

    /** Attaches the logs of {@code network}'s nodes to {@code failure}, if any process was started. */
    static void attach(ExtensionContext context, Network network, Throwable failure) {
        int lines;
        try {
            lines = Settings.REPORT_LINES.intValue(0, Settings.MAX_LOG_LINES);
        } catch (IllegalArgumentException e) {
            lines = Integer.parseInt(Settings.REPORT_LINES.defaultValue());
        }
        String text = text(network.nodes(), lines);
        if (lines == 0 || text == null) {
            return;
        }
        failure.addSuppressed(new NodeLogs(text));
        try {
            context.publishReportEntry("isonet.node-logs", text);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "isonet: could not publish the node logs as a report entry", e);
        }
        try {
            context.publishFile("node-logs.txt", org.junit.jupiter.api.MediaType.TEXT_PLAIN_UTF_8,
                    path -> Files.writeString(path, text, StandardCharsets.UTF_8));
        } catch (LinkageError | RuntimeException e) {
            // Before JUnit 5.14 there is no such method (or no output directory is configured): the rest suffices.
            LOG.log(System.Logger.Level.DEBUG, "isonet: could not publish the node logs as a file", e);
        }
    }

    /** What the nodes' processes printed last, or null if none was started. */
    static String text(List<Node> nodes, int lines) {
        StringBuilder out = new StringBuilder();
        for (Node node : nodes) {
            List<NodeProcess> processes = node.processes();
            if (processes.isEmpty()) {
                continue;
            }
            for (NodeProcess process : processes) {
                out.append("\n").append(process).append(", ").append(process.isAlive() ? "running"
                        : "exited with code " + process.exitCode()).append(":\n");
                List<dev.isonet.LogLine> tail = process.logs();
                tail = tail.subList(Math.max(0, tail.size() - lines), tail.size());
                if (tail.isEmpty()) {
                    out.append("  (no output)\n");
                }
                for (dev.isonet.LogLine line : tail) {
                    out.append("  ").append(line).append('\n');
                }
            }
        }
        return out.length() == 0 ? null : "last lines of the processes in this test's nodes (isonet.report.lines="
                + lines + "):" + out.substring(0, out.length() - 1);
    }
}
