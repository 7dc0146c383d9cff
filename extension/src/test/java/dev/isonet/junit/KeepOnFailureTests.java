package dev.isonet.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.isonet.HostSnapshot;
import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.RequiresPrivileges;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * isonet.keep.failed, driven from a child JVM: while it keeps a failed test's network, the commands it printed
 * enter the nodes (their network, hostname and files); once the wait ends (here: its file deleted), nothing of
 * it is left on the host.
 */
@RequiresPrivileges
class KeepOnFailureTests {
    private static final String PREFIX = "isonet-KeptTestCases-failsAndIsKept-";
    private static final Pattern NODE = Pattern.compile("node '(\\w+)' \\(([0-9.]+)\\):");

    @TempDir
    Path diagnostics;

    @Test
    @Timeout(120)
    void aKeptNetworkIsReachableByThePrintedCommandsAndGoneAfterwards() throws Exception {
        HostSnapshot before = HostSnapshot.take();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Disonet.keep.failed=true", "-Disonet.keep.timeout=90s", "-Disonet.diagnostics.dir=" + diagnostics,
                "-D" + Network.POOL_PROPERTY + "=" + Kit.POOL, "-cp", System.getProperty("java.class.path"),
                ChildJvm.class.getName(), KeptTestCases.class.getName());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                    all.add(line);
                }
            } catch (IOException e) {
                // the child is gone
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            List<String[]> nodes = new ArrayList<>(); // name, address, nsenter command
            List<String> netnsExec = new ArrayList<>();
            String current = null;
            String address = null;
            while (nodes.size() < 2 || netnsExec.size() < 3) {
                String line = lines.poll(60, TimeUnit.SECONDS);
                if (line == null) {
                    fail("the child printed no commands within 60 s; it printed:%n%s", String.join("\n", all));
                }
                Matcher node = NODE.matcher(line);
                if (node.matches()) {
                    current = node.group(1);
                    address = node.group(2);
                } else if (line.startsWith("    ip netns exec ")) {
                    netnsExec.add(line.strip());
                } else if (line.startsWith("    nsenter ") && current != null) {
                    nodes.add(new String[] {current, address, line.strip().replaceFirst(" bash$", "")});
                    current = null;
                }
            }

            for (String[] node : nodes) {
                assertThat(node[2]).startsWith("nsenter --net=/run/netns/" + PREFIX + node[0] + " --uts=/proc/");
                assertThat(run(node[2] + " hostname")).isEqualTo(node[0] + "\n");
                assertThat(run(node[2] + " cat /proc/net/fib_trie")).contains(node[1]);
            }
            assertThat(nodes.get(0)[2]).contains(" --mount=/proc/"); // node a's own files: it ran Java code
            assertThat(run(nodes.get(0)[2] + " cat /etc/hosts")).contains("\tb\n");
            // The ip netns exec commands name the same mounts (CI forbids starting ip, so they are not run here).
            assertThat(netnsExec).containsExactly("ip netns exec " + PREFIX + "a bash", "ip netns exec " + PREFIX + "b bash",
                    "ip netns exec " + PREFIX + "router bash");
            assertThat(Path.of("/run/netns", PREFIX + "router")).exists();

            Path kept = diagnostics.resolve(KeptTestCases.class.getName()).resolve("failsAndIsKept")
                    .resolve("kept.txt");
            assertThat(Files.readString(kept)).contains(nodes.get(0)[2]);
            Files.delete(kept); // ends the wait
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child ended").isTrue();
            reader.join(10_000);
            String output = String.join("\n", all);
            assertThat(output).contains("FAILED [method:failsAndIsKept()] java.lang.AssertionError: fails"
                    + " on purpose").contains("(kept.txt was deleted), then cleaned it up as usual");
            assertThat(child.exitValue()).isZero();
            assertThat(namedNamespaces()).isEmpty();
            assertThat(Leftovers.afterReaping(before)).as("left on the host").isEmpty();
        } finally {
            if (child.isAlive()) {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
            for (Path left : namedNamespaces()) { // a killed child leaves its mounts: remove them
                try {
                    new ProcessBuilder("umount", "-l", left.toString()).start().waitFor();
                } finally {
                    Files.deleteIfExists(left);
                }
            }
        }
    }

    private static List<Path> namedNamespaces() throws IOException {
        Path netns = Path.of("/run/netns");
        if (!Files.isDirectory(netns)) {
            return List.of();
        }
        try (var names = Files.list(netns)) {
            return names.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList();
        }
    }

    /** Runs a command line (split on spaces) and returns its standard output; fails unless it exits with 0. */
    private static String run(String commandLine) throws Exception {
        Process process = new ProcessBuilder(commandLine.split(" ")).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s printed: %s", commandLine, output).isZero();
        return output;
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class KeptTestCases {
        @Container
        Node a;
        @Container
        Node b;

        @Test
        void failsAndIsKept() throws Exception {
            a.run(() -> java.net.InetAddress.getByName("b")); // gives node a its own files (its /etc/hosts)
            fail("fails on purpose");
        }
    }
}
