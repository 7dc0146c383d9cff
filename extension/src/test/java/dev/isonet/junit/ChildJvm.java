package dev.isonet.junit;

import static org.assertj.core.api.Assertions.fail;

import dev.isonet.Privileges;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/**
 * Runs fixture classes through the test kit in a JVM of their own, started by {@code setpriv} without some
 * capabilities, for what a JVM cannot undo in itself. The child prints its effective capabilities and then
 * one line per skipped or finished test or class: "SKIPPED [segment] reason", "FAILED [segment]
 * exception: message" or "SUCCESSFUL [segment]".
 */
final class ChildJvm {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ChildJvm() {}

    /** What the child printed, line by line. */
    record Output(List<String> lines) {
        /** The CapEff mask the child ran with. */
        long effectiveCapabilities() {
            for (String line : lines) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring(7).strip(), 16);
                }
            }
            throw new AssertionError("the child printed no CapEff line: " + lines);
        }
    }

    /**
     * Runs the fixture classes in a child JVM whose bounding and inheritable sets lack {@code capabilities}
     * (as setpriv names them: net_admin, sys_admin), so that even root does not get them back on exec.
     */
    static Output runWithout(List<String> capabilities, Class<?>... testCases) throws IOException, InterruptedException {
        String drop = String.join(",", capabilities.stream().map(c -> "-" + c).toList());
        List<String> command = new ArrayList<>();
        // Without the capabilities already (a contributor without root), there is nothing to drop, nor the
        // CAP_SETPCAP that dropping takes.
        if (Privileges.missing().size() < 2) {
            command.addAll(List.of("setpriv", "--bounding-set", drop, "--inh-caps", drop, "--"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), ChildJvm.class.getName()));
        for (Class<?> testCase : testCases) {
            command.add(testCase.getName());
        }
        Path output = Files.createTempFile("isonet-child-jvm-", ".txt");
        try {
            Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!child.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                child.descendants().forEach(ProcessHandle::destroyForcibly);
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
                fail("the child JVM did not finish within " + TIMEOUT + " and was killed; it printed:%n%s",
                        Files.readString(output, StandardCharsets.UTF_8));
            }
            List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            if (child.exitValue() != 0) {
                fail("the child JVM exited with %d; it printed:%n%s", child.exitValue(), String.join("\n", lines));
            }
            return new Output(lines);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** In the child: prints CapEff, then runs each named fixture class and prints its outcomes. */
    public static void main(String[] testCases) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                System.out.println(line);
            }
        }
        for (String name : testCases) {
            for (Event event : Kit.execute(Class.forName(name)).allEvents().list()) {
                String outcome = outcome(event);
                if (outcome != null) {
                    System.out.println(outcome);
                }
            }
        }
        System.out.flush();
    }

    private static String outcome(Event event) {
        UniqueId.Segment segment = event.getTestDescriptor().getUniqueId().getLastSegment();
        String element = "[" + segment.getType() + ":" + segment.getValue() + "]";
        if (event.getType() == EventType.SKIPPED) {
            return "SKIPPED " + element + " " + event.getPayload(String.class).orElse("");
        }
        if (event.getType() != EventType.FINISHED || segment.getType().equals("engine")) {
            return null;
        }
        TestExecutionResult result = event.getPayload(TestExecutionResult.class).orElseThrow();
        return result.getStatus() + " " + element + result.getThrowable()
                .map(e -> " " + e.getClass().getName() + ": " + String.valueOf(e.getMessage()).replace("\n", "\\n"))
                .orElse("");
    }
}
