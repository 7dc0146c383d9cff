package dev.isonet.internal.cgroups;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which hierarchy a limit uses, read from mountinfo and /proc/self/cgroup, never assumed: cgroup v2 when this
 * process's v2 cgroup enables the controller for its children, else the v1 hierarchy that has it; why not, when
 * neither does. No privileges needed: the v2 cgroup directories are made up in a temporary directory.
 */
class HierarchiesTests {
    @TempDir
    Path sys;

    /** This machine: v1 controllers beside a v2 mount that enables none; the JVM's memory cgroup is a session's. */
    @Test
    void aHybridHostLimitsWithV1AndKeepsV2ForKilling() throws Exception {
        Path unified = Files.createDirectories(sys.resolve("unified"));
        Files.writeString(unified.resolve("cgroup.subtree_control"), "\n");
        Hierarchies found = Hierarchies.read(List.of(
                "31 30 0:28 / " + sys.resolve("cpu,cpuacct") + " rw,relatime - cgroup cgroup rw,cpu,cpuacct",
                "34 30 0:31 / " + sys.resolve("memory") + " rw,relatime - cgroup cgroup rw,memory",
                "38 30 0:35 / " + sys.resolve("pids") + " rw,relatime - cgroup cgroup rw,pids",
                "39 30 0:36 / " + sys.resolve("systemd") + " rw,relatime - cgroup cgroup rw,xattr,name=systemd",
                "40 30 0:37 / " + unified + " rw,relatime - cgroup2 cgroup2 rw"), List.of(
                "9:name=systemd:/", "8:pids:/", "4:memory:/process_api/abc", "1:cpu,cpuacct:/", "0::/"));

        Hierarchy memory = found.forController("memory").orElseThrow();
        assertThat(memory.version()).isEqualTo(1);
        assertThat(memory.own()).isEqualTo(sys.resolve("memory/process_api/abc"));
        assertThat(found.forController("cpu").orElseThrow().controllers()).isEqualTo(Set.of("cpu", "cpuacct"));
        assertThat(found.forController("pids").orElseThrow().own()).isEqualTo(sys.resolve("pids"));
        assertThat(found.v2().orElseThrow().own()).isEqualTo(unified);
        assertThat(found.unavailable("memory")).isNull();
        assertThat(found.mounts()).hasSize(5);
    }

    @Test
    void aDelegatedV2CgroupLimitsWithV2() throws Exception {
        Path own = Files.createDirectories(sys.resolve("user.slice/ci.scope"));
        Files.writeString(own.resolve("cgroup.subtree_control"), "cpu memory pids\n");
        Hierarchies found = Hierarchies.read(List.of("25 21 0:22 / " + sys + " rw - cgroup2 cgroup2 rw,nsdelegate"),
                List.of("0::/user.slice/ci.scope"));

        assertThat(found.forController("memory").orElseThrow().version()).isEqualTo(2);
        assertThat(found.forController("memory").orElseThrow().own()).isEqualTo(own);
        assertThat(found.forController("cpu")).isPresent();
    }

    @Test
    void aJvmInAServiceGetsItsCgroupsUnderTheSliceThatEnablesTheControllers() throws Exception {
        Path service = Files.createDirectories(sys.resolve("system.slice/runner.service"));
        Files.writeString(service.resolve("cgroup.subtree_control"), "\n");
        Files.writeString(sys.resolve("system.slice/cgroup.subtree_control"), "cpu io memory pids\n");
        Hierarchies found = Hierarchies.read(List.of("25 21 0:22 / " + sys + " rw - cgroup2 cgroup2 rw"),
                List.of("0::/system.slice/runner.service"));

        assertThat(found.forController("memory").orElseThrow().own()).isEqualTo(sys.resolve("system.slice"));
        assertThat(found.forController("hugetlb")).isEmpty();
        assertThat(found.unavailable("hugetlb")).isEqualTo("no cgroup hierarchy offers the hugetlb controller:"
                + " cgroup v2 at " + sys + " does not enable it for :/system.slice (its cgroup.subtree_control: 'cpu io"
                + " memory pids'); a controller can be enabled only in a cgroup without processes: run the JVM under a"
                + " systemd service or slice, or in a container whose cgroup enables it; no cgroup v1 hierarchy is"
                + " mounted");
    }

    @Test
    void aV2CgroupWithoutTheControllerSaysWhyAndWhatToDo() throws Exception {
        Path own = Files.createDirectories(sys.resolve("runner"));
        Files.writeString(own.resolve("cgroup.subtree_control"), "\n");
        Files.writeString(sys.resolve("cgroup.subtree_control"), "\n");
        Hierarchies found = Hierarchies.read(List.of("25 21 0:22 / " + sys + " rw - cgroup2 cgroup2 rw"),
                List.of("0::/runner"));

        assertThat(found.forController("memory")).isEmpty();
        assertThat(found.unavailable("memory")).isEqualTo("no cgroup hierarchy offers the memory controller: cgroup"
                + " v2 at " + sys + " enables no controller for this JVM's cgroup :/runner nor for any above it; a"
                + " controller can be enabled only in a cgroup without processes: run the JVM under a systemd service"
                + " or slice, or in a container whose cgroup enables it; no cgroup v1 hierarchy is mounted");
    }

    @Test
    void aContainerSeesItsOwnSubtreeMountedAsTheRoot() {
        Hierarchies found = Hierarchies.read(List.of(
                "700 690 0:31 /docker/abc " + sys.resolve("memory") + " ro,nosuid - cgroup cgroup rw,memory"),
                List.of("4:memory:/docker/abc"));

        assertThat(found.forController("memory").orElseThrow().own()).isEqualTo(sys.resolve("memory"));
        assertThat(found.unavailable("pids")).isEqualTo("no cgroup hierarchy offers the pids controller: no cgroup"
                + " v1 hierarchy has it (v1 has memory)");
    }

    @Test
    void withoutCgroupsNothingIsUsable() {
        Hierarchies found = Hierarchies.read(List.of("22 1 0:21 / /sys rw - sysfs sysfs rw"), List.of("0::/"));

        assertThat(found.forController("memory")).isEmpty();
        assertThat(found.unavailable("cpu")).isEqualTo("no cgroup filesystem is mounted (see /proc/self/mountinfo)");
    }

    @Test
    void limitsNameTheirOptions() {
        Limits limits = new Limits(64L << 20, 100, 0.5);

        assertThat(limits.controllers()).containsExactly("memory", "pids", "cpu");
        assertThat(limits).hasToString("memory limit 64 MiB, pids limit 100, cpus 0.5");
        assertThat(Limits.bytes(1536L << 20)).isEqualTo("1.5 GiB");
        assertThat(Limits.bytes(1000)).isEqualTo("1000 bytes");
    }
}
