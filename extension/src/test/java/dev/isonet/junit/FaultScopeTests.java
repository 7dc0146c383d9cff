package dev.isonet.junit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.isonet.Fault;
import dev.isonet.Network;
import dev.isonet.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults made during a test are healed after it, also on a class-scoped network, and also when the test
 * failed; faults made in {@code @BeforeAll} stay for the class. Nothing is left on the host.
 */
class FaultScopeTests {

    @Test
    void faultsMadeDuringATestAreHealedAfterItWhileThoseOfTheClassStay() throws Exception {
        ClassScopedTestCases.seen.clear();

        Kit.Run run = Kit.run(ClassScopedTestCases.class);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(2).failed(1));
        run.results().testEvents().assertThatEvents().haveExactly(1, event(test("failsWhileFaultsAreActive"),
                finishedWithFailure(message("fails on purpose"))));
        assertThat(ClassScopedTestCases.seen).containsExactly(
                "first, after each: [block a -> outside, partition [a] | [b], node b disconnected, loss 30% both ways on outside]",
                "second sees: [block a -> outside]",
                "failsWhileFaultsAreActive, after each: [block a -> outside, isolate a]",
                "third sees: [block a -> outside]",
                "third, after each: [block a -> outside]");
        ClassScopedTestCases.network.reaped().get(10, SECONDS);
        assertThat(run.leftAfterReaping()).as("left on the host").isEmpty();
    }

    @Kit.Fixture
    @IsolatedNetwork
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class ClassScopedTestCases {
        static final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        static Network network;

        @Container
        static Node a;
        @Container
        static Node b;

        @BeforeAll
        static void faultForTheClass() {
            network = a.network();
            network.block(a, network.outside());
        }

        @AfterEach
        void note(org.junit.jupiter.api.TestInfo info) {
            seen.add(info.getTestMethod().orElseThrow().getName() + ", after each: " + network.faults());
        }

        @Test
        @Order(1)
        void first() {
            network.partition(List.of(a), List.of(b));
            b.disconnect();
            network.outside().loss(30);
        }

        @Test
        @Order(2)
        void failsWhileFaultsAreActive() {
            seen.add("second sees: " + network.faults());
            network.isolate(a);
            fail("fails on purpose");
        }

        @Test
        @Order(3)
        void third() {
            seen.add("third sees: " + network.faults());
        }
    }

    @Test
    void aTestThatFailsWithFaultsActiveLeavesNothingBehind() throws Exception {
        Kit.Run run = Kit.run(FailingTestCases.class);

        run.results().testEvents().assertStatistics(stats -> stats.failed(1));
        List<Fault> faults = FailingTestCases.faults;
        assertThat(faults).isNotEmpty().noneMatch(Fault::isActive);
        FailingTestCases.network.reaped().get(10, SECONDS);
        assertThat(run.leftAfterReaping()).as("left on the host").isEmpty();
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class FailingTestCases {
        static Network network;
        static List<Fault> faults;

        @Container
        Node a;
        @Container
        Node b;

        @Test
        void test() {
            network = a.network();
            faults = List.of(network.partition(List.of(a), List.of(b, network.outside())), a.disconnect(),
                    network.outside().disconnect(), b.loss(50));
            fail("fails on purpose");
        }
    }
}
