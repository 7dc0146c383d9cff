package dev.isonet.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fresh JVM running this bench with a child flag, for what only a new JVM shows (cold start, the first test, a
 * whole suite): it prints one line starting with a mark, whose fields are the measurements.
 */
final class ChildJvm {
    private ChildJvm() {}

    /**
     * Runs {@code bench <benchArgs>} in a child JVM with {@code jvmArgs}, within {@code timeoutSeconds}, and
     * returns the fields of its line that starts with {@code mark}; fails with what it printed if there is none.
     */
    static String[] run(String what, List<String> jvmArgs, List<String> benchArgs, String mark, long timeoutSeconds)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "bench"));
        command.addAll(benchArgs);
        Path log = Files.createTempFile("isonet-bench-child-", ".log");
        try {
            Process child = new ProcessBuilder(command).redirectInput(new File("/dev/null")).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!child.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                child.waitFor(5, TimeUnit.SECONDS);
                throw new IOException(what + " child JVM did not finish in " + timeoutSeconds + " s");
            }
            String output = Files.readString(log);
            String line = output.lines().filter(l -> l.startsWith(mark)).findFirst()
                    .orElseThrow(() -> new IOException(what + " child JVM exited with " + child.exitValue()
                            + " and printed: " + output.strip()));
            return line.substring(mark.length()).trim().split(" ");
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
