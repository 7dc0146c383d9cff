package dev.isonet.junit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.isonet.IsonetException;
import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.RequiresPrivileges;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.AssertionFailedError;

/**
 * What a test or class created is closed after it, newest first, also when the test failed or its setup
 * failed halfway; once the kernel has reaped, the host holds nothing new.
 */
@RequiresPrivileges
class CleanupTests {

    @Test
    void aFailingTestStillHasItsNetworkClosed() throws Exception {
        FailingTestCases.network = null;

        Kit.Run run = Kit.run(FailingTestCases.class);

        run.results().testEvents().assertThatEvents().haveExactly(1, event(test("test"),
                finishedWithFailure(instanceOf(AssertionFailedError.class), message("fails on purpose"))));
        Network network = FailingTestCases.network;
        assertThat(run.createdWhileOpen()).as("on the host while the test ran").contains("link " + network.hostLink());
        network.reaped().get(10, SECONDS);
        assertThat(run.leftAfterReaping()).as("left on the host").isEmpty();
    }

    @Test
    void everythingATestCreatedIsClosedNewestFirst() {
        CloseProbe.seen.clear();

        Kit.Run run = Kit.run(ReverseOrderTestCases.class);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(1));
        // Created: probe, network, first, probe, second, probe, third. Each probe notes what is still open.
        assertThat(CloseProbe.seen).containsExactly(
                "nodes [first, second], network open",
                "nodes [first], network open",
                "nodes [], network closed");
        assertThat(run.leftAfterReaping()).as("left on the host").isEmpty();
    }

    @Test
    void aSetupThatFailsAtTheSecondNodeLeavesNothingBehind() {
        SecondNodeFailsTestCases.network = null;

        Kit.Run run = Kit.run(SecondNodeFailsTestCases.class);

        run.results().testEvents().assertThatEvents().haveExactly(1, event(test("test"),
                finishedWithFailure(instanceOf(ParameterResolutionException.class), message("@Container parameter"
                        + " [dev.isonet.Node second]: node name 'bad_name' must be 1 to 63 letters, digits or '-',"
                        + " not starting or ending with '-' (it becomes the node's hostname)."))));
        Network network = SecondNodeFailsTestCases.network;
        assertThat(run.createdWhileOpen()).as("on the host while the test ran").contains("link " + network.hostLink());
        assertThat(network.nodes()).as("open nodes").isEmpty();
        assertThat(run.leftAfterReaping()).as("left on the host").isEmpty();
    }

    @Test
    void instanceNodesThatOverflowTheSubnetLeaveNothingBehind() {
        Kit.Run run = Kit.run(InstanceNodesOverflowTestCases.class);

        run.results().testEvents().assertThatEvents().haveExactly(1, event(test("test"),
                finishedWithFailure(instanceOf(IsonetException.class), message("network 10.217.250.0/29 has no"
                        + " address left for node 'node4'; give the network a larger subnet (a shorter prefix)"))));
        assertThat(run.createdWhileOpen()).as("on the host while the test ran").contains("link iso0ad9fa00");
        assertThat(run.leftAfterReaping()).as("left on the host").isEmpty();
    }

    @Test
    void staticNodesThatOverflowTheSubnetLeaveNothingBehind() {
        Kit.Run run = Kit.run(StaticNodesOverflowTestCases.class);

        run.results().containerEvents().assertThatEvents().haveExactly(1,
                event(container(StaticNodesOverflowTestCases.class), finishedWithFailure(
                        instanceOf(IsonetException.class), message("network 10.217.250.8/29 has no address left for"
                                + " node 'node4'; give the network a larger subnet (a shorter prefix)"))));
        run.results().testEvents().assertStatistics(stats -> stats.started(0));
        assertThat(run.createdWhileOpen()).as("on the host while the class ran").contains("link iso0ad9fa08");
        assertThat(run.leftAfterReaping()).as("left on the host").isEmpty();
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class FailingTestCases {
        static Network network;

        @Container
        Node server;

        @Test
        void test() {
            network = server.network();
            fail("fails on purpose");
        }
    }

    @Kit.Fixture
    @ExtendWith(CloseProbe.Extension.class)
    @IsolatedNetwork
    static class ReverseOrderTestCases {
        @Container
        Node first;

        @Test
        void test(Network network, CloseProbe afterFirst, @Container Node second, CloseProbe afterSecond,
                  @Container Node third) {
            CloseProbe.network = network;
        }
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class SecondNodeFailsTestCases {
        static Network network;

        @Container
        Node first;

        @BeforeEach
        void remember() {
            network = first.network();
        }

        @Test
        void test(@Container(name = "bad_name") Node second) {}
    }

    /** A /29 has addresses for three nodes (2 to 4; 1 is the gateway, 5 and 6 the uplink). */
    @Kit.Fixture
    @IsolatedNetwork(subnet = "10.217.250.0/29")
    static class InstanceNodesOverflowTestCases {
        @Container
        Node node1;
        @Container
        Node node2;
        @Container
        Node node3;
        @Container
        Node node4;

        @Test
        void test() {}
    }

    @Kit.Fixture
    @IsolatedNetwork(subnet = "10.217.250.8/29")
    static class StaticNodesOverflowTestCases {
        @Container
        static Node node1;
        @Container
        static Node node2;
        @Container
        static Node node3;
        @Container
        static Node node4;

        @Test
        void test() {}
    }

    /**
     * Stored in the test's store like the extension's networks and nodes, so JUnit closes it among them: it
     * notes which nodes of {@link #network} are still open then, and whether the network is.
     */
    record CloseProbe(String label) implements AutoCloseable {
        static final List<String> seen = new ArrayList<>();
        static Network network;

        @Override
        public void close() {
            seen.add("nodes " + network.nodes().stream().map(Node::name).toList() + ", network "
                    + (isClosed(network) ? "closed" : "open"));
        }

        private static boolean isClosed(Network network) {
            try {
                network.reaped();
                return true;
            } catch (IllegalStateException notClosed) {
                return false;
            }
        }

        /** Stores a probe before anything else of a test (if registered first), and one per probe parameter. */
        static final class Extension implements BeforeEachCallback, ParameterResolver {
            @Override
            public void beforeEach(ExtensionContext context) {
                store(context, "before everything");
            }

            @Override
            public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
                return parameter.getParameter().getType() == CloseProbe.class;
            }

            @Override
            public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
                return store(context, parameter.getParameter().getName());
            }

            private static CloseProbe store(ExtensionContext context, String label) {
                CloseProbe probe = new CloseProbe(label);
                context.getStore(ExtensionContext.Namespace.create(CloseProbe.class)).put(probe, probe);
                return probe;
            }
        }
    }
}
