package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A JVM killed with SIGKILL, holding a network with NAT and a process in a node, leaves nothing behind: the
 * kernel frees what the fds and sockets held, and the process gets SIGKILL through its death signal.
 */
@RequiresPrivileges
class KilledJvmTests {

    /** The child: builds a network, starts a process in a node, says what it made, and waits to be killed. */
    public static void main(String[] args) throws Exception {
        Network network = Network.builder().subnet("10.217.251.0/24").node("doomed").build();
        Process sleeper = network.node("doomed").start(new ProcessBuilder("sleep", "120"));
        System.out.println("READY " + sleeper.pid() + " " + network.hostLink() + " " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(120_000);
    }

    @Test
    @Timeout(90)
    void aKilledJvmLeavesNoLinkTableNamespaceOrProcess() throws Exception {
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KilledJvmTests.class.getName()))
                .redirectErrorStream(true).start();
        String[] ready;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("READY "));
            assertThat(line).as("the child built its network").isNotNull();
            ready = line.split(" ");
            assertThat(Files.exists(Path.of("/sys/class/net", ready[2]))).as("its host link exists").isTrue();
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long sleeper = Long.parseLong(ready[1]);
        String hostLink = ready[2];
        String natTable = "inet isonet-" + ready[3];

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<String> left;
        do {
            left = new java.util.ArrayList<>();
            if (ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false)
                    && !isZombie(sleeper)) {
                left.add("process " + sleeper);
            }
            for (String entry : HostSnapshot.take().lines()) {
                if (entry.contains(hostLink) || entry.equals("nft table " + natTable)
                        || entry.contains("10.217.251.")) {
                    left.add(entry);
                }
            }
            if (!left.isEmpty()) {
                Thread.sleep(100);
            }
        } while (!left.isEmpty() && System.nanoTime() < deadline);
        ProcessHandle.of(sleeper).ifPresent(ProcessHandle::destroyForcibly); // ours, should the check fail
        assertThat(left).as("left behind by the killed JVM").isEmpty();
    }

    /** A killed process whose parent died may linger as a zombie until it is reaped: it is gone all the same. */
    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return true;
        }
    }
}
