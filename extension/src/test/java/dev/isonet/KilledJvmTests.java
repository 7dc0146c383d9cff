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

    /**
     * The child: builds a network, starts in a node a process, a process with a grandchild, and a daemon that
     * double-forks away; says what it made (PIDs: the process, the grandchild, the daemon), and waits.
     */
    public static void main(String[] args) throws Exception {
        Network network = Network.builder().subnet("10.217.251.0/24").node("doomed").build();
        Node node = network.node("doomed");
        NodeProcess sleeper = node.start(new ProcessBuilder("sleep", "120"));
        Process parent = node.start(new ProcessBuilder("bash", "-c", "sleep 1000; true")).process();
        ExecResult daemon = node.exec("bash", "-c", "setsid bash -c 'sleep 1001 >/dev/null & echo $!' </dev/null 2>/dev/null");
        long grandchild = -1;
        for (int i = 0; i < 500 && grandchild < 0; i++) {
            grandchild = parent.toHandle().children().mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
            Thread.sleep(10);
        }
        long daemonPid = hostPid(daemon.stdout().strip(), node);
        Thread execing = new Thread(() -> {
            try {
                node.exec("sleep", "1002"); // killed with the JVM, mid-exec
            } catch (Exception e) {
                // the JVM dies first
            }
        });
        execing.setDaemon(true);
        execing.start();
        Thread.sleep(300);
        System.out.println("READY " + sleeper.pid() + "," + grandchild + "," + daemonPid + " " + network.hostLink()
                + " " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(120_000);
    }

    /** The host PID of the process that is {@code nsPid} in the node's PID namespace (NSpid in its status). */
    private static long hostPid(String nsPid, Node node) throws Exception {
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    for (String line : Files.readAllLines(process.resolve("status"))) {
                        if (line.startsWith("NSpid:") && line.endsWith("\t" + nsPid)
                                && Files.readString(process.resolve("comm")).strip().equals("sleep")) {
                            return Long.parseLong(process.getFileName().toString());
                        }
                    }
                } catch (java.io.IOException e) {
                    // gone meanwhile
                }
            }
        }
        return -1;
    }

    @Test
    @Timeout(90)
    void aKilledJvmLeavesNoLinkTableNamespaceOrProcess() throws Exception {
        List<Path> tempBefore = tempFiles();
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
            // Through netlink: /sys/class/net shows the namespace sysfs was mounted in, not necessarily the JVM's.
            assertThat(HostSnapshot.take().lines()).as("its host link exists").contains("link " + ready[2]);
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<Long> processes = java.util.Arrays.stream(ready[1].split(",")).map(Long::parseLong).toList();
        assertThat(processes).as("the process, its grandchild and the daemon").hasSize(3).allMatch(pid -> pid > 0);
        String hostLink = ready[2];
        String natTable = "inet isonet-" + ready[3];

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<String> left;
        do {
            left = new java.util.ArrayList<>();
            for (long pid : processes) {
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !isZombie(pid)) {
                    left.add("process " + pid);
                }
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
        processes.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly)); // ours
        assertThat(left).as("left behind by the killed JVM").isEmpty();
        assertThat(tempFiles()).as("files the killed JVM left in java.io.tmpdir, mid-exec")
                .containsExactlyInAnyOrderElementsOf(tempBefore);
    }

    private static List<Path> tempFiles() throws java.io.IOException {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("isonet")).toList();
        }
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
