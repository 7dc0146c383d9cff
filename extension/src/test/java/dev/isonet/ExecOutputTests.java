package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** exec keeps output that is not UTF-8, byte for byte, with its exit code; its strings decode leniently. */
@RequiresPrivileges
class ExecOutputTests {

    @Test
    @Timeout(60)
    void outputThatIsNotUtf8IsKeptAsBytes() throws Exception {
        try (Network network = Network.builder().nat(false).node("a").build()) {
            ExecResult result = network.node("a").exec("bash", "-c", "printf 'ok\\xff\\xfe'; printf '\\xc3' >&2; exit 3");

            assertThat(result.exitCode()).isEqualTo(3);
            assertThat(result.stdoutBytes()).containsExactly('o', 'k', 0xff, 0xfe);
            assertThat(result.stderrBytes()).containsExactly(0xc3);
            assertThat(result.stdout()).isEqualTo("ok\uFFFD\uFFFD");
            assertThat(result.stderr()).isEqualTo("\uFFFD");
        }
    }
}
