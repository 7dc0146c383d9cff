package example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.isonet.Direction;
import dev.isonet.Fault;
import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Tests that fail while faults are active, run through the JUnit test kit so that this build stays green:
 * their networks close with every fault, and the suite's final leak check (NothingLeftBehindTest) finds
 * nothing of them on the host.
 */
@Timeout(60)
class FailedTestWithFaultsTests {
    private static final String KIT = "example.kit";
    static final List<Fault> FAULTS = Collections.synchronizedList(new ArrayList<>());
    static final List<Network> NETWORKS = Collections.synchronizedList(new ArrayList<>());

    @Test
    void testsThatFailWithFaultsActiveLeaveNoFaultAndNoNetworkBehind() throws Exception {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(KIT, "true")
                .selectors(selectClass(FailsWithFaults.class), selectClass(FailsWithFaultsOnAClassNetwork.class))
                .execute();

        results.testEvents().assertStatistics(stats -> stats.failed(2));
        results.testEvents().assertThatEvents().haveExactly(2, event(test(), finishedWithFailure(
                message("fails on purpose, with faults active"))));
        assertThat(FAULTS).hasSize(13).noneMatch(Fault::isActive);
        for (Network network : NETWORKS) {
            network.reaped().get(10, TimeUnit.SECONDS);
        }
    }

    /** Runs only under the test kit, started by the test above. */
    static final class OnlyInTheKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(KIT).isPresent()
                    ? ConditionEvaluationResult.enabled("run by FailedTestWithFaultsTests")
                    : ConditionEvaluationResult.disabled("fails on purpose; run by FailedTestWithFaultsTests");
        }
    }

    @ExtendWith(OnlyInTheKit.class)
    @IsolatedNetwork
    static class FailsWithFaults {
        @Container
        Node a;
        @Container
        Node b;

        @Test
        void failsWhileFaultsAreActive(Network network) {
            NETWORKS.add(network);
            FAULTS.addAll(List.of(network.partition(List.of(a), List.of(b)), a.loss(30), b.disconnect(),
                    network.outside().disconnect(), a.delay(Duration.ofMillis(20)), b.rate(1_000_000, Direction.INGRESS),
                    network.outside().delay(Duration.ofMillis(10), Direction.EGRESS)));
            fail("fails on purpose, with faults active");
        }
    }

    @ExtendWith(OnlyInTheKit.class)
    @IsolatedNetwork
    static class FailsWithFaultsOnAClassNetwork {
        @Container
        static Node a;
        @Container
        static Node b;

        @BeforeAll
        static void faultForTheClass() {
            NETWORKS.add(a.network());
            FAULTS.add(a.network().block(b, a));
        }

        @Test
        void failsWhileFaultsAreActive(Network network) {
            FAULTS.addAll(List.of(network.isolate(b), network.outside().loss(50),
                    network.partition(List.of(a), List.of(network.outside())), a.delay(Duration.ofMillis(5),
                    Direction.EGRESS), network.outside().rate(1_000_000)));
            fail("fails on purpose, with faults active");
        }
    }
}
