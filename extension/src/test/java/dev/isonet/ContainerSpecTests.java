package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isonet.internal.cgroups.Hierarchies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Container options of NodeSpec: checked when set, naming the option, the value and why. No privileges needed. */
class ContainerSpecTests {

    @Test
    void aRelativeRootfsIsTakenFromTheWorkingDirectory() {
        assertThat(NodeSpec.named("a").rootfs(Path.of("src/../src")).rootfs())
                .isEqualTo(Path.of(System.getProperty("user.dir"), "src"));
    }

    @Test
    void aRootfsThatDoesNotExistOrIsNoDirectoryFailsNamingIt(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");

        assertThatThrownBy(() -> NodeSpec.named("a").rootfs(dir.resolve("missing")))
                .hasMessage("node 'a': rootfs " + dir.resolve("missing") + " does not exist");
        assertThatThrownBy(() -> NodeSpec.named("a").rootfs(file)).hasMessage("node 'a': rootfs " + file + " is not a directory");
        assertThatThrownBy(() -> NodeSpec.named("a").rootfs(null)).hasMessage("node 'a': rootfs must be a directory, not null");
    }

    @Test
    void memorySizesAreReadInBinaryUnits() {
        assertThat(NodeSpec.named("a").memoryLimit("64m").memoryLimit()).isEqualTo(64L << 20);
        assertThat(NodeSpec.named("a").memoryLimit("1G").memoryLimit()).isEqualTo(1L << 30);
        assertThat(NodeSpec.named("a").memoryLimit("4096k").memoryLimit()).isEqualTo(4L << 20);
        assertThat(NodeSpec.named("a").memoryLimit("64MiB").memoryLimit()).isEqualTo(64L << 20);
        assertThat(NodeSpec.named("a").memoryLimit("8388608").memoryLimit()).isEqualTo(8L << 20);
        assertThat(NodeSpec.named("a").memoryLimit(" 16 mb ").memoryLimit()).isEqualTo(16L << 20);
    }

    @Test
    void badLimitsFailWhenSetNamingOptionAndValue() {
        assertThatThrownBy(() -> NodeSpec.named("a").memoryLimit("lots"))
                .hasMessage("node 'a': memory limit 'lots' must be a size such as 64m, 1g, 512k or a number of bytes");
        assertThatThrownBy(() -> NodeSpec.named("a").memoryLimit("1m"))
                .hasMessage("node 'a': memory limit 1048576 bytes must be at least 4194304 (4 MiB)");
        assertThatThrownBy(() -> NodeSpec.named("a").memoryLimit("99999999999t"))
                .hasMessage("node 'a': memory limit '99999999999t' is too large");
        assertThatThrownBy(() -> NodeSpec.named("a").pidsLimit(1))
                .hasMessage("node 'a': pids limit 1 must be at least 2: each started process and its starter count");
        assertThatThrownBy(() -> NodeSpec.named("a").cpus(0))
                .hasMessage("node 'a': cpus 0.0 must be 0.01 to 1024.0");
        assertThatThrownBy(() -> NodeSpec.named("a").cpus(Double.NaN))
                .hasMessage("node 'a': cpus NaN must be 0.01 to 1024.0");
    }

    @Test
    void aLimitTheHostCannotApplyFailsNamingTheNodeTheOptionAndWhy() throws Exception {
        try (AutoCloseable noCgroups = Hierarchies.pretend(List.of("22 1 0:21 / /sys rw - sysfs sysfs rw"),
                List.of("0::/"))) {
            assertThatThrownBy(() -> NodeSpec.named("worker").memoryLimit("64m")).hasMessage("node 'worker': memory"
                    + " limit 64 MiB cannot be applied on this host: no cgroup filesystem is mounted (see"
                    + " /proc/self/mountinfo)");
            assertThatThrownBy(() -> NodeSpec.named("worker").pidsLimit(10))
                    .hasMessageStartingWith("node 'worker': pids limit 10 cannot be applied on this host: ");
            assertThatThrownBy(() -> NodeSpec.named("worker").cpus(0.5))
                    .hasMessageStartingWith("node 'worker': cpus 0.5 cannot be applied on this host: ");
        }
    }

    @Test
    void aSpecSaysWhatItLimits(@TempDir Path dir) {
        NodeSpec spec = NodeSpec.named("web").rootfs(dir).memoryLimit("64m").pidsLimit(100).cpus(0.5);

        assertThat(spec).hasToString("NodeSpec web rootfs " + dir + " memory limit 64 MiB, pids limit 100, cpus 0.5");
        assertThat(spec.pidsLimit()).isEqualTo(100);
        assertThat(spec.cpus()).isEqualTo(0.5);
    }
}
