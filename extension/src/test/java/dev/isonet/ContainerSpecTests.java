package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
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
                .hasMessage("rootfs " + dir.resolve("missing") + " does not exist");
        assertThatThrownBy(() -> NodeSpec.named("a").rootfs(file)).hasMessage("rootfs " + file + " is not a directory");
        assertThatThrownBy(() -> NodeSpec.named("a").rootfs(null)).hasMessage("rootfs must be a directory, not null");
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
                .hasMessage("memory limit 'lots' must be a size such as 64m, 1g, 512k or a number of bytes");
        assertThatThrownBy(() -> NodeSpec.named("a").memoryLimit("1m"))
                .hasMessage("memory limit 1048576 bytes must be at least 4194304 (4 MiB)");
        assertThatThrownBy(() -> NodeSpec.named("a").memoryLimit("99999999999t"))
                .hasMessage("memory limit '99999999999t' is too large");
        assertThatThrownBy(() -> NodeSpec.named("a").pidsLimit(1))
                .hasMessage("pids limit 1 must be at least 2: each started process and its starter count");
        assertThatThrownBy(() -> NodeSpec.named("a").cpus(0))
                .hasMessage("cpus 0.0 must be 0.01 to 1024.0");
        assertThatThrownBy(() -> NodeSpec.named("a").cpus(Double.NaN))
                .hasMessage("cpus NaN must be 0.01 to 1024.0");
    }

    @Test
    void aSpecSaysWhatItLimits(@TempDir Path dir) {
        NodeSpec spec = NodeSpec.named("web").rootfs(dir).memoryLimit("64m").pidsLimit(100).cpus(0.5);

        assertThat(spec).hasToString("NodeSpec web rootfs " + dir + " memory limit 64 MiB, pids limit 100, cpus 0.5");
        assertThat(spec.pidsLimit()).isEqualTo(100);
        assertThat(spec.cpus()).isEqualTo(0.5);
    }
}
