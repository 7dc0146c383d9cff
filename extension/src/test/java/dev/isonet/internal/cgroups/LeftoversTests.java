package dev.isonet.internal.cgroups;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.BusyboxRoot;
import dev.isonet.HostSnapshot;
import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.NodeSpec;
import dev.isonet.RequiresPrivileges;
import dev.isonet.internal.ns.Confinement;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a killed JVM's containers leave (their cgroups and upper layers: the kernel frees everything else) is
 * removed by the next JVM, with whatever still runs in those cgroups, and only once the owner is gone: an owner is
 * a PID and its start time, so a reused PID does not keep leftovers alive, nor does a live owner lose them.
 */
@RequiresPrivileges
@Timeout(120)
class LeftoversTests {
    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

    /** The child: a limited node with a root filesystem and a process tree in it; says its tag and waits. */
    public static void main(String[] args) throws Exception {
        Network network = Network.builder().nat(false).build();
        Node node = network.addNode(NodeSpec.named("doomed").rootfs(Path.of(args[0])).memoryLimit("64m").pidsLimit(50));
        node.start(new ProcessBuilder("sh", "-c", "sleep 1000 & setsid sh -c 'sleep 1001 &'; exec sleep 1002"));
        while (!node.exec("ps").stdout().contains("sleep 1002")) {
            Thread.sleep(10);
        }
        System.out.println("READY " + dev.isonet.internal.OwnerTag.mine());
        System.out.flush();
        Thread.sleep(120_000);
    }

    @Test
    void aKilledJvmsContainersLeaveOnlyCgroupsAndUpperLayersWhichTheNextJvmRemoves(@TempDir Path root)
            throws Exception {
        BusyboxRoot.build(root);
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LeftoversTests.class.getName(), root.toString()))
                .redirectErrorStream(true).start();
        String tag;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("READY "));
            assertThat(line).as("the child built its container").isNotNull();
            tag = line.substring(6);
        } finally {
            child.destroyForcibly(); // SIGKILL: no close()
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!sleepers().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(sleepers()).as("its processes die with it").isEmpty();
        // What the kernel cannot free: cgroups and the upper layer (unless another JVM has removed them already).
        List<String> before = left(tag);

        List<Path> removed = Confinement.collectLeftovers();

        if (!before.isEmpty()) {
            assertThat(before).anyMatch(l -> l.startsWith("cgroup ")).anyMatch(l -> l.startsWith("tmpdir "));
            assertThat(removed).anyMatch(p -> p.toString().contains(tag));
        }
        assertThat(left(tag)).isEmpty();
        assertThat(root.resolve("www/index.html")).as("the lower directory is not touched")
                .hasContent("hello from the busybox root");
    }

    @Test
    void leftoversOfAGoneOwnerAreRemovedWithWhatRunsInThemAndALiveOwnersAreKept() throws Exception {
        Process gone = new ProcessBuilder("sleep", "30").start();
        String goneTag = tag(gone.pid());
        gone.destroyForcibly().waitFor();
        Process alive = new ProcessBuilder("sleep", "60").start();
        Process inside = new ProcessBuilder("sleep", "60").start();
        String aliveTag = tag(alive.pid());
        List<Path> made = new ArrayList<>();
        try {
            for (Hierarchy hierarchy : List.of(Hierarchies.current().forController("memory").orElseThrow(),
                    Hierarchies.current().v2().orElse(Hierarchies.current().forController("pids").orElseThrow()))) {
                Path node = Files.createDirectories(hierarchy.own().resolve(goneTag).resolve("1-node"));
                Files.writeString(node.resolve("cgroup.procs"), String.valueOf(inside.pid()));
                made.add(node);
                made.add(Files.createDirectories(hierarchy.own().resolve(aliveTag).resolve("1-node")));
            }
            Path goneDir = Files.createDirectories(TMP.resolve(goneTag + "-1-node/upper/www"));
            Files.writeString(goneDir.resolve("index.html"), "x");
            Path aliveDir = Files.createDirectories(TMP.resolve(aliveTag + "-1-node/upper"));
            made.add(aliveDir.getParent());

            List<Path> removed = Confinement.collectLeftovers();

            assertThat(inside.waitFor(10, TimeUnit.SECONDS)).as("killed with its cgroup").isTrue();
            assertThat(removed).anyMatch(p -> p.endsWith(goneTag)).noneMatch(p -> p.toString().contains(aliveTag));
            assertThat(made).filteredOn(p -> p.toString().contains(goneTag)).noneMatch(Files::exists);
            assertThat(TMP.resolve(goneTag + "-1-node")).doesNotExist();
            assertThat(made).filteredOn(p -> p.toString().contains(aliveTag)).allMatch(Files::exists);
        } finally {
            inside.destroyForcibly().waitFor();
            alive.destroyForcibly().waitFor();
            Confinement.collectLeftovers(); // the live owner is gone now
        }
        assertThat(made).noneMatch(Files::exists);
    }

    private static String tag(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return "isonet-" + pid + "-" + stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
    }

    private static List<String> left(String tag) {
        return HostSnapshot.take().lines().stream().filter(l -> l.contains(tag)).toList();
    }

    /** Live host processes of the child's tree (by their arguments), zombies aside. */
    private static List<Long> sleepers() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.matches(".*sleep 100[012]$")).orElse(false))
                .filter(p -> !zombie(p.pid())).map(ProcessHandle::pid).toList();
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (Exception e) {
            return true;
        }
    }
}
