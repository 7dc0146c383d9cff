package dev.isonet.internal.ns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts processes without any JVM thread entering a namespace. The JDK's "process reaper" threads are born on
 * the thread that starts a process, so starting from a node thread would strand them in the node. Instead one
 * long-lived host thread starts every process; {@code setpriv --pdeathsig KILL} ends it if the JVM dies (the
 * signal follows the death of the starting thread, hence a thread that lives as long as the JVM).
 */
final class Spawner {
    private static final ExecutorService THREAD =
            Executors.newSingleThreadExecutor(task -> HostNamespaces.newHostThread("isonet-spawner", task));
    static final String NSENTER = find("nsenter");
    static final String SETPRIV = find("setpriv");
    static final String UNSHARE = find("unshare");
    static final String BASH = find("bash");

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

    /** Fails naming the missing tool and its package, unless nsenter, setpriv, unshare and bash are all there. */
    static void requireTools(String owner) throws IOException {
        if (NSENTER == null || SETPRIV == null || UNSHARE == null) {
            throw new IOException("starting a process in " + owner + " needs nsenter, setpriv and unshare, from"
                    + " util-linux (apt-get install util-linux)");
        }
        if (BASH == null) {
            throw new IOException("starting a process in " + owner + " needs bash (apt-get install bash)");
        }
    }

    /**
     * Starts {@code command} (a full command line, namespaces already in it) with the redirects, environment and
     * directory of {@code template}, on the spawner thread, behind {@code setpriv --pdeathsig KILL}.
     */
    static Process start(List<String> command, ProcessBuilder template, String owner) throws IOException {
        List<String> full = new java.util.ArrayList<>(List.of(SETPRIV, "--pdeathsig", "KILL", "--"));
        full.addAll(command);
        ProcessBuilder wrapped = new ProcessBuilder(full)
                .redirectInput(template.redirectInput())
                .redirectOutput(template.redirectOutput())
                .redirectError(template.redirectError())
                .redirectErrorStream(template.redirectErrorStream());
        wrapped.environment().clear();
        wrapped.environment().putAll(template.environment());
        try {
            return THREAD.submit(wrapped::start).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + template.command() + " in " + owner, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("could not start " + template.command() + " in " + owner, e.getCause());
        }
    }
}
