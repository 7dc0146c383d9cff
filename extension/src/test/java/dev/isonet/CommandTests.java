package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A command's environment, standard input, directory and user reach the process in the node. */
class CommandTests {

    @Test
    void badOptionsFailWhenSetNamingWhatIsWrong() {
        assertThatThrownBy(() -> Command.of()).hasMessage("a command needs at least the program to run");
        assertThatThrownBy(() -> Command.of("a", null)).hasMessage("command [a, null] has a null argument");
        assertThatThrownBy(() -> Command.of("env").env("A=B", "c"))
                .hasMessage("environment variable name 'A=B' must be non-empty, without '=' or NUL");
        assertThatThrownBy(() -> Command.of("id").user("no-such-user-here"))
                .hasMessage("user 'no-such-user-here' is not in /etc/passwd; give a known name, a uid or uid:gid");
        assertThatThrownBy(() -> Command.of("id").user("4242"))
                .hasMessage("user 4242 has no entry in /etc/passwd, so its group is not known: give it as uid:gid");
        assertThatThrownBy(() -> Command.of("cat").stdin(Path.of("/no/such/file")))
                .hasMessage("stdin file /no/such/file is not a readable file");
        assertThatThrownBy(() -> Command.of("cat").logLines(0)).hasMessage("logLines 0 must be at least 1");
        assertThat(Command.of("id").user("nobody")).hasToString("id (as nobody)");
    }

    @Nested
    @RequiresPrivileges
    @Timeout(60)
    class InANode {
        private static Network network;
        private static Node node;

        @BeforeAll
        static void network() {
            network = Network.builder().subnet("10.218.141.0/24").nat(false).node("c").build();
            node = network.node("c");
        }

        @AfterAll
        static void close() {
            if (network != null) {
                network.close();
            }
        }

        @Test
        void environmentIsInheritedWithAdditionsOrReplacedWhole() throws Exception {
            ExecResult added = node.exec(Command.of("sh", "-c", "echo $GREETING; echo ${PATH:+has-path}")
                    .env("GREETING", "hello"));
            assertThat(added.stdout()).isEqualTo("hello\nhas-path\n");

            ExecResult replaced = node.exec(Command.of("/usr/bin/env").environment(Map.of("ONLY", "this")));
            assertThat(replaced.stdout().lines().filter(l -> !l.startsWith("ISONET_PROCESS=")))
                    .containsExactly("ONLY=this");
        }

        @Test
        void stdinComesFromBytesOrAFile(@TempDir Path dir) throws Exception {
            assertThat(node.exec(Command.of("cat").stdin("typed in\n")).stdout()).isEqualTo("typed in\n");
            Path file = Files.writeString(dir.resolve("input.txt"), "from a file\n");
            assertThat(node.exec(Command.of("cat").stdin(file)).stdout()).isEqualTo("from a file\n");
            assertThat(node.exec(Command.of("cat")).stdout()).as("by default: empty").isEmpty();
            NodeProcess started = node.start(Command.of("cat").stdin("streamed\n"));
            assertThat(started.waitFor()).isZero();
            assertThat(started.awaitLog("streamed", java.time.Duration.ofSeconds(5))).isNotNull();
        }

        @Test
        void theWorkingDirectoryIsTheCommandsOrTheJvms(@TempDir Path dir) throws Exception {
            assertThat(node.exec(Command.of("pwd").directory(dir)).stdout().strip()).isEqualTo(dir.toString());
            assertThat(node.exec(Command.of("pwd")).stdout().strip()).isEqualTo(System.getProperty("user.dir"));
        }

        @Test
        void aCommandRunsAsTheUserGivenWithItsGroupsAndHome() throws Exception {
            ExecResult nobody = node.exec(Command.of("sh", "-c", "id -un; id -u; id -g; echo $HOME $USER")
                    .user("nobody"));
            assertThat(nobody.stdout().lines()).containsExactly("nobody", "65534", "65534", "/nonexistent nobody");

            ExecResult numeric = node.exec(Command.of("sh", "-c", "id -u; id -g").user("4242:4343"));
            assertThat(numeric.stdout().lines()).containsExactly("4242", "4343");

            NodeProcess started = node.start(Command.of("sleep", "30").user("nobody"));
            Path status = Path.of("/proc/" + started.pid() + "/status");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)) // setpriv, then exec of sleep
                    .until(() -> Files.readString(status).startsWith("Name:\tsleep"));
            assertThat(Files.readString(status)).containsPattern("Uid:\\s+65534\\s+65534");
            assertThat(started.stop(java.time.Duration.ofSeconds(5))).isEqualTo(143);
        }
    }
}
