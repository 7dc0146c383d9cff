package dev.isonet;

import dev.isonet.internal.Settings;
import dev.isonet.internal.ns.Launch;
import dev.isonet.internal.ns.Namespace;
import dev.isonet.internal.ns.SandboxedProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Starting processes in one namespace (a node's or an external host's), and the handles of those started. */
final class NodeProcesses {
    private final Namespace namespace;
    private final String where;
    private final List<NodeProcess> started = new CopyOnWriteArrayList<>();

    NodeProcesses(Namespace namespace, String where) {
        this.namespace = namespace;
        this.where = where;
    }

    NodeProcess start(Command command) throws IOException {
        Launch launch = command.launch();
        SandboxedProcess process = namespace.start(launch);
        int lines = command.logLinesOrZero() > 0 ? command.logLinesOrZero() : logLines();
        return keep(NodeProcess.capture(where, launch.command(), process, true, true, lines, command.stdinBytes()));
    }

    /** Streams the builder leaves as pipes are captured; stdin stays the builder's (a pipe by default). */
    NodeProcess start(ProcessBuilder builder) throws IOException {
        Launch launch = Launch.of(builder);
        SandboxedProcess process = namespace.start(launch);
        boolean out = builder.redirectOutput() == ProcessBuilder.Redirect.PIPE;
        boolean err = builder.redirectError() == ProcessBuilder.Redirect.PIPE && !builder.redirectErrorStream();
        return keep(NodeProcess.capture(where, launch.command(), process, out, err, logLines(), null));
    }

    ExecResult exec(Duration timeout, Command command) throws IOException, InterruptedException {
        return namespace.exec(timeout, command.launch(), command.stdinBytes());
    }

    private NodeProcess keep(NodeProcess process) {
        started.add(process);
        return process;
    }

    List<NodeProcess> all() {
        return List.copyOf(started);
    }

    private static int logLines() {
        try {
            return Settings.LOG_LINES.intValue(1, Settings.MAX_LOG_LINES);
        } catch (IllegalArgumentException e) {
            return Integer.parseInt(Settings.LOG_LINES.defaultValue()); // reported where settings are checked
        }
    }
}
