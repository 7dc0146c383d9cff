package dev.isonet.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.isonet.Node;
import dev.isonet.NodeProcess;
import dev.isonet.RequiresPrivileges;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.Event;

/** A failed test carries the last lines of its nodes' processes: printed with the failure, and as a report entry. */
@RequiresPrivileges
@Timeout(60)
class NodeLogsTests {

    @Test
    void aFailedTestCarriesTheLastLinesOfItsNodesProcesses() {
        Kit.Run run = Kit.run(ServerDidNotComeUpTestCases.class);

        Event failed = run.results().testEvents().failed().list().get(0);
        Throwable failure = failed.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        assertThat(failure).hasMessage("the server did not come up");
        assertThat(failure.getSuppressed()).hasSize(2); // the diagnostics folder, then the logs
        assertThat(failure.getSuppressed()[0]).isInstanceOf(DiagnosticsFolder.class);
        String logs = failure.getSuppressed()[1].getMessage();
        assertThat(logs).startsWith("last lines of the processes in this test's nodes (isonet.report.lines=20):\n'sh -c")
                .contains(") in node 'db', exited with code 2:\n")
                .contains("\n  stdout| line 30\n  stderr| FATAL: no data directory")
                .doesNotContain("stdout| line 11\n").contains("stdout| line 12\n")
                .contains(") in node 'app', running:\n  (no output)");
        assertThat(run.results().allEvents().reportingEntryPublished().list()).hasSize(2);
        assertThat(run.leftAfterReaping()).as("left on the host").isEmpty();
    }

    @Test
    void aTestThatFailsInSetupCarriesThemToo() {
        Kit.Run run = Kit.run(SetupFailsTestCases.class);

        Throwable failure = run.results().testEvents().failed().list().get(0)
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable()
                .orElseThrow();
        assertThat(failure.getSuppressed()).hasSize(2);
        assertThat(failure.getSuppressed()[1].getMessage()).contains("stdout| booting");
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class ServerDidNotComeUpTestCases {
        @Container
        Node db;
        @Container
        Node app;

        @Test
        void test() throws Exception {
            NodeProcess server = db.start("sh", "-c",
                    "for i in $(seq 1 30); do echo line $i; done; sleep 0.2; echo FATAL: no data directory >&2; exit 2");
            app.start("sleep", "30");
            server.waitFor();
            server.awaitLog("FATAL", Duration.ofSeconds(5));
            fail("the server did not come up");
        }
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class SetupFailsTestCases {
        @Container
        Node db;

        @BeforeEach
        void start() throws Exception {
            db.start("sh", "-c", "echo booting; sleep 30").awaitLog("booting", Duration.ofSeconds(5));
            db.awaitListening(5432, Duration.ofMillis(100));
        }

        @Test
        void test() {
        }
    }
}
