package dev.isonet.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.cause;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.isonet.IsonetException;
import dev.isonet.Node;
import dev.isonet.RequiresPrivileges;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A thread started from inside a node outlives its test: the test fails naming the thread and saying what to do
 * (or, with isonet.threads.stranded=warn, passes); a closed node's thread factory refuses new threads.
 */
@RequiresPrivileges
class StrandedThreadsTests {
    static volatile Thread stray;

    @Test
    void aThreadLeftInsideAClosedNodeFailsItsTestByName() throws Exception {
        Kit.Run run = Kit.run(StrayThreadTestCases.class);

        // JUnit reports it as the failure to close the test's store, with Isonet's message as the cause.
        run.results().testEvents().assertThatEvents().haveExactly(1, event(test("leavesAThreadBehind"),
                finishedWithFailure(cause(instanceOf(IsonetException.class), message(m -> m.startsWith(
                        "JVM threads are still inside closed nodes: stray-in-node (tid ")
                        && m.contains(" in node 'server'. A thread started from inside a node stays in the node's"
                        + " network namespace") && m.endsWith("set isonet.threads.stranded=warn."))))));
        endStray();
    }

    @Test
    void withWarnTheTestPasses() throws Exception {
        System.setProperty("isonet.threads.stranded", "warn");
        try {
            Kit.Run run = Kit.run(StrayThreadTestCases.class);
            run.results().testEvents().assertStatistics(stats -> stats.succeeded(1));
        } finally {
            System.clearProperty("isonet.threads.stranded");
            endStray();
        }
    }

    private static void endStray() throws InterruptedException {
        Thread thread = stray;
        if (thread != null) {
            thread.interrupt();
            thread.join(5_000);
            assertThat(thread.isAlive()).isFalse();
        }
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class StrayThreadTestCases {
        @Container
        Node server;

        @Test
        void leavesAThreadBehind() throws Exception {
            CountDownLatch started = new CountDownLatch(1);
            server.run(() -> {
                // As a library's JVM-wide pool does: a thread born here, not from the node's factory.
                Thread thread = new Thread(() -> {
                    started.countDown();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        // ended by the test
                    }
                }, "stray-in-node");
                thread.setDaemon(true);
                thread.start();
                stray = thread;
                return null;
            });
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }
}
