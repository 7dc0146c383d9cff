package dev.isonet.internal.ns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts processes inside a namespace without any JVM thread entering it. The JDK's "process reaper"
 * threads are born on the thread that starts a process, so starting from a node thread would strand them
 * in the node. Instead one long-lived host thread starts {@code nsenter}, which joins the namespaces and
 * execs the command under the same PID; {@code setpriv --pdeathsig KILL} ends it if the JVM dies (the
 * signal follows the death of the starting thread, hence a thread that lives as long as the JVM).
 */
final class Spawner {
    private static final ExecutorService THREAD =
            Executors.newSingleThreadExecutor(task -> HostNamespaces.newHostThread("isonet-spawner", task));
    private static final String NSENTER = find("nsenter");
    private static final String SETPRIV = find("setpriv");

    private Spawner() {}

    private static String find(String tool) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path path = Path.of(dir, tool);
            if (Files.isExecutable(path)) {
                return path.toString();
            }
        }
        return null;
    }

    static Process start(ProcessBuilder builder, NamespaceFds fds, String owner) throws IOException {
        if (NSENTER == null) {
            throw new IOException("starting a process in node " + owner + " needs nsenter, from util-linux"
                    + " (apt-get install util-linux)");
        }
        List<String> command = new ArrayList<>();
        if (SETPRIV != null) {
            command.addAll(List.of(SETPRIV, "--pdeathsig", "KILL", "--"));
        }
        command.add(NSENTER);
        command.add("--net=" + HostNamespaces.fdPath(fds.net()));
        if (fds.uts() >= 0) {
            command.add("--uts=" + HostNamespaces.fdPath(fds.uts()));
        }
        command.add("--");
        command.addAll(builder.command());
        ProcessBuilder wrapped = new ProcessBuilder(command)
                .directory(builder.directory())
                .redirectInput(builder.redirectInput())
                .redirectOutput(builder.redirectOutput())
                .redirectError(builder.redirectError())
                .redirectErrorStream(builder.redirectErrorStream());
        wrapped.environment().clear();
        wrapped.environment().putAll(builder.environment());
        try {
            return THREAD.submit(wrapped::start).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + builder.command(), e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("could not start " + builder.command() + " in " + owner, e.getCause());
        }
    }
}
