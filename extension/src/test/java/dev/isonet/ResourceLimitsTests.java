package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.internal.OwnerTag;
import dev.isonet.internal.cgroups.NodeCgroup;
import dev.isonet.internal.ns.Confinement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Limits: a limited node's processes are in its cgroup from their first instruction, under this JVM's parent;
 * the limits are written where the host has the controllers; the OOM killer and the pids limit act and their
 * counters say so; closing removes the cgroups, and the parent with the last one.
 */
@RequiresPrivileges
@Timeout(90)
class ResourceLimitsTests {

    @Test
    void processesAreInTheNodesCgroupFromTheStartWithTheLimitsWritten() throws Exception {
        List<Path> directories;
        try (Network network = Network.builder().nat(false).build()) {
            Node limited = network.addNode(NodeSpec.named("limited").memoryLimit("64m").pidsLimit(50).cpus(0.5));
            Confinement confinement = limited.confinement();
            directories = confinement.cgroupDirectories();

            List<String> seen = limited.exec("cat", "/proc/self/cgroup").stdout().lines().toList();
            for (String cgroup : confinement.cgroups()) {
                assertThat(seen).as("the program's first look at its cgroups").anyMatch(l -> l.endsWith(":" + cgroup)
                        || l.substring(l.indexOf(':') + 1).equals(cgroup));
                assertThat(cgroup).contains("/" + OwnerTag.mine() + "/").endsWith("-limited");
            }
            assertThat(read(directories, "memory.limit_in_bytes", "memory.max")).isEqualTo("67108864");
            assertThat(read(directories, "pids.max", null)).isEqualTo("50");
            String cpu = read(directories, "cpu.max", null); // v2; v1 has quota and period apart
            assertThat(cpu != null ? cpu : read(directories, "cpu.cfs_quota_us", null) + " "
                    + read(directories, "cpu.cfs_period_us", null)).isEqualTo("50000 100000");
            assertThat(directories).allMatch(Files::isDirectory);
            assertThat(NodeCgroup.tagged()).anyMatch(c -> c.contains(OwnerTag.mine()));
        }
        assertThat(directories).noneMatch(Files::exists);
        assertThat(NodeCgroup.tagged()).as("the parents go with the last limited node")
                .noneMatch(c -> c.contains(OwnerTag.mine()));
    }

    @Test
    void aProcessPastTheMemoryLimitIsOomKilledAndCounted() throws Exception {
        try (Network network = Network.builder().nat(false).build()) {
            Node small = network.addNode(NodeSpec.named("small").memoryLimit("32m"));

            // One 256 MiB buffer, filled from /dev/zero: bounded even if the limit failed.
            ExecResult dd = small.exec(Duration.ofSeconds(30), "dd", "if=/dev/zero", "of=/dev/null", "bs=256M",
                    "count=1");

            assertThat(dd.exitCode()).as("SIGKILL").isEqualTo(137);
            assertThat(small.oomKills()).isEqualTo(1);
            assertThat(small.exec("true").exitCode()).as("the node lives on").isZero();
            small.close();
            assertThat(small.oomKills()).as("kept after close").isEqualTo(1);
        }
    }

    @Test
    void aBoundedForkBombStopsAtThePidsLimit() throws Exception {
        try (Network network = Network.builder().nat(false).build()) {
            Node node = network.addNode(NodeSpec.named("forky").pidsLimit(20));

            // 2^7 shells and 2^6 sleeps at most, each gone within seconds: harmless even without a limit.
            ExecResult bomb = node.exec(Duration.ofSeconds(30), "sh", "-c",
                    "b() { if [ $1 -gt 0 ]; then b $(($1 - 1)) & b $(($1 - 1)) & wait; else sleep 1; fi; }; b 6");

            assertThat(node.forksRefused()).as(bomb.stderr()).isPositive();
            assertThat(bomb.stderr()).contains("fork");
        }
    }

    @Test
    void aCpuLimitHoldsABusyLoopToItsShare() throws Exception {
        try (Network network = Network.builder().nat(false).build()) {
            Node node = network.addNode(NodeSpec.named("slow").cpus(0.2));

            ExecResult busy = node.exec(Duration.ofSeconds(30), "bash", "-c",
                    "TIMEFORMAT='%U %S'; time timeout 2 sh -c 'while :; do :; done'");

            String[] times = busy.stderr().strip().split(" ");
            double cpu = Double.parseDouble(times[0]) + Double.parseDouble(times[1]);
            assertThat(cpu).as("CPU seconds in 2 s at 0.2 CPUs").isLessThan(0.2 * 2 * 1.5);
        }
    }

    /** The value of the first of {@code name} (or {@code alternative}) in the cgroup's directories; null if none. */
    private static String read(List<Path> directories, String name, String alternative) throws Exception {
        for (Path directory : directories) {
            for (String candidate : Stream.of(name, alternative).filter(n -> n != null).toList()) {
                if (Files.exists(directory.resolve(candidate))) {
                    return Files.readString(directory.resolve(candidate)).strip();
                }
            }
        }
        return null;
    }
}
