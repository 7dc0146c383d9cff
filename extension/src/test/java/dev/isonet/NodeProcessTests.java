package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The handle of a started process: output kept line by line (bounded), consumers, awaitLog and its message,
 * exit codes as a shell reports them, and stop/kill of the whole tree, also what detached.
 */
@RequiresPrivileges
@Timeout(60)
class NodeProcessTests {
    private static Network network;
    private static Node node;

    @BeforeAll
    static void network() {
        network = Network.builder().subnet("10.218.140.0/24").nat(false).node("p").build();
        node = network.node("p");
    }

    @AfterAll
    static void close() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    void theLogKeepsTheLastLinesUpToItsBound() throws Exception {
        NodeProcess counter = node.start(Command.shell("for i in $(seq 1 50); do echo line $i; done").logLines(10));

        assertThat(counter.waitFor()).isZero();
        assertThat(counter.awaitLog("line 50", Duration.ofSeconds(5)).stream()).isEqualTo(LogLine.Stream.STDOUT);
        assertThat(counter.logs()).extracting(LogLine::text)
                .containsExactly("line 41", "line 42", "line 43", "line 44", "line 45", "line 46", "line 47", "line 48",
                        "line 49", "line 50");
    }

    @Test
    void stdoutAndStderrAreToldApartAndConsumersGetEveryLineAlsoThoseBeforeTheyWereAdded() throws Exception {
        NodeProcess talker = node.start("sh", "-c", "echo to-out; echo to-err >&2; sleep 0.2; echo later");
        talker.awaitLog("to-err", Duration.ofSeconds(5));
        List<LogLine> seen = new CopyOnWriteArrayList<>();
        talker.onLine(seen::add);

        talker.awaitLog("later", Duration.ofSeconds(5));
        assertThat(talker.waitFor()).isZero();
        assertThat(talker.logs(LogLine.Stream.STDERR)).extracting(LogLine::text).containsExactly("to-err");
        assertThat(talker.logs(LogLine.Stream.STDOUT)).extracting(LogLine::text).containsExactly("to-out", "later");
        assertThat(seen).extracting(LogLine::text).containsExactlyInAnyOrder("to-out", "to-err", "later");
        assertThat(talker.output()).contains("to-out\n").contains("later\n");
        assertThat(talker.process().getInputStream().read()).as("captured: read the log instead").isEqualTo(-1);
    }

    @Test
    void awaitLogSaysWhatItWaitedForHowLongAndWhatItSawLast() throws Exception {
        // Two pipes are read by two threads: the pause keeps the lines' order what the test expects.
        NodeProcess server = node.start("sh", "-c", "echo starting up; sleep 0.1; echo no config >&2; sleep 30");

        assertThatThrownBy(() -> server.awaitLog("ready to accept", Duration.ofMillis(300)))
                .isInstanceOf(ConditionTimeoutException.class)
                .hasMessage("no line of 'sh -c echo starting up; sleep 0.1; echo no config >&2; sleep 30' (pid "
                        + server.pid()
                        + ") in node 'p' matched /ready to accept/ within 300 ms; it is still running; last lines:\n"
                        + "  stdout| starting up\n  stderr| no config")
                .satisfies(e -> assertThat(server.logs()).hasSize(2));
        server.stop(Duration.ofSeconds(5));
    }

    @Test
    void awaitLogGivesUpOnceTheOutputHasEnded() throws Exception {
        NodeProcess quitter = node.start("sh", "-c", "echo bye; exit 3");
        long start = System.nanoTime();

        assertThatThrownBy(() -> quitter.awaitLog("ready", Duration.ofSeconds(20)))
                .isInstanceOf(ConditionTimeoutException.class)
                .hasMessageContaining("matched /ready/ before its output ended, after")
                .hasMessageContaining("it exited with code 3; last lines:\n  stdout| bye");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void exitCodesAreAsAShellReportsThem() throws Exception {
        NodeProcess exits = node.start("sh", "-c", "exit 42");
        assertThat(exits.waitFor()).isEqualTo(42);
        assertThat(exits.exitCode()).isEqualTo(42);

        NodeProcess terminated = node.start("sleep", "30");
        assertThatThrownBy(terminated::exitCode).isInstanceOf(IllegalStateException.class)
                .hasMessageEndingWith("is still running");
        assertThat(terminated.stop(Duration.ofSeconds(5))).as("SIGTERM").isEqualTo(143);

        NodeProcess crashed = node.start("sleep", "30");
        crashed.kill();
        assertThat(crashed.waitFor()).as("SIGKILL").isEqualTo(137);
    }

    @Test
    void aProcessThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
        NodeProcess stubborn = node.start("sh", "-c", "trap '' TERM; echo trapped; sleep 30");
        stubborn.awaitLog("trapped", Duration.ofSeconds(5));
        long start = System.nanoTime();

        assertThat(stubborn.stop(Duration.ofMillis(300))).isEqualTo(137);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
    }

    @Test
    void stopEndsTheWholeTreeAlsoADoubleForkedDaemon() throws Exception {
        NodeProcess parent = node.start("sh", "-c",
                "setsid sh -c 'sleep 301 & echo daemon $!' </dev/null; sh -c 'sleep 302' & echo forked; wait");
        parent.awaitLog("forked", Duration.ofSeconds(5));
        parent.awaitLog("daemon", Duration.ofSeconds(5));
        assertThat(node.exec("pgrep", "-fx", "sleep 30[12]").stdout().lines()).hasSize(2);

        assertThat(parent.stop(Duration.ofSeconds(5))).isEqualTo(143);
        assertThat(node.exec("pgrep", "-fx", "sleep 30[12]").exitCode()).as("nothing left in the node").isEqualTo(1);
    }

    @Test
    void closingANodeSendsSigtermFirstSoServersCanShutDownCleanly() throws Exception {
        Node server = network.addNode("graceful");
        NodeProcess daemon = server.start("sh", "-c",
                "trap 'echo shutting down; exit 0' TERM; echo up; while :; do sleep 0.05; done");
        daemon.awaitLog("up", Duration.ofSeconds(5));

        server.close();
        assertThat(daemon.waitFor(Duration.ofSeconds(5))).isTrue();
        assertThat(daemon.exitCode()).isZero();
        assertThat(daemon.logs()).extracting(LogLine::text).contains("shutting down");
        assertThat(server.processes()).containsExactly(daemon);
    }

    @Test
    void aProcessBuilderKeepsItsRedirectsAndItsStdinPipe() throws Exception {
        NodeProcess cat = node.start(new ProcessBuilder("cat").redirectErrorStream(true));
        try (var in = cat.process().getOutputStream()) {
            in.write("typed\n".getBytes());
        }
        assertThat(cat.waitFor()).isZero();
        assertThat(cat.awaitLog("typed", Duration.ofSeconds(5)).stream()).isEqualTo(LogLine.Stream.STDOUT);
    }
}
