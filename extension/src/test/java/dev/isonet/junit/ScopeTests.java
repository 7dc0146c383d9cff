package dev.isonet.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.RequiresPrivileges;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Static nodes belong to the class, instance nodes to the test; a {@code Network} parameter is the network the
 * nodes are in, and {@code @Nested} classes join the network of their enclosing class.
 */
@RequiresPrivileges
class ScopeTests {

    @BeforeEach
    void forgetWhatFixturesSaw() {
        Seen.nodes.clear();
        Seen.networks.clear();
        Seen.openNodes.clear();
    }

    @Test
    void aStaticFieldIsTheSameNodeInEveryTestOfItsClass() {
        Kit.Run run = Kit.run(StaticFieldTestCases.class);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(2));
        assertThat(Seen.nodes).hasSize(2);
        assertThat(Seen.nodes.get(1)).isSameAs(Seen.nodes.get(0));
        assertThat(run.leftAfterReaping()).as("left on the host").isEmpty();
    }

    @Test
    void anInstanceFieldIsANewNodeOnANewNetworkInEveryTest() {
        Kit.Run run = Kit.run(InstanceFieldTestCases.class);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(2));
        assertThat(Seen.nodes).hasSize(2);
        assertThat(Seen.nodes.get(1)).isNotSameAs(Seen.nodes.get(0));
        assertThat(Seen.networks.get(1)).isNotSameAs(Seen.networks.get(0));
        assertThat(run.leftAfterReaping()).as("left on the host").isEmpty();
    }

    @Test
    void instanceNodesJoinTheClassNetworkAndAreClosedAfterTheirTest() {
        Kit.Run run = Kit.run(StaticAndInstanceFieldTestCases.class);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(2));
        assertThat(Seen.networks).hasSize(2);
        assertThat(Seen.networks.get(1)).isSameAs(Seen.networks.get(0));
        assertThat(Seen.nodes.get(1)).isNotSameAs(Seen.nodes.get(0));
        assertThat(Seen.openNodes.get(1)).as("open in the second test")
                .containsExactly(Seen.openNodes.get(0).get(0), Seen.nodes.get(1))
                .doesNotContain(Seen.nodes.get(0));
        assertThat(run.leftAfterReaping()).as("left on the host").isEmpty();
    }

    @Test
    void aNetworkParameterIsTheNetworkTheNodesAreIn() {
        Kit.Run run = Kit.run(NetworkParameterTestCases.class);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(1));
        assertThat(Seen.networks).hasSize(3).allSatisfy(network -> assertThat(network).isSameAs(Seen.networks.get(0)));
        assertThat(Seen.openNodeNames()).containsExactly(List.of("server", "client"));
        assertThat(run.leftAfterReaping()).as("left on the host").isEmpty();
    }

    @Test
    void aContainerParameterNamingAnExistingNodeGetsThatNode() {
        Kit.Run run = Kit.run(ParameterNamingAnExistingNodeTestCases.class);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(1));
        assertThat(Seen.nodes).hasSize(3).allSatisfy(node -> assertThat(node).isSameAs(Seen.nodes.get(0)));
        assertThat(run.leftAfterReaping()).as("left on the host").isEmpty();
    }

    @Test
    void nestedClassesUseTheNetworkOfTheirEnclosingClass() {
        Kit.Run run = Kit.run(NestedTestCases.class);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(2));
        assertThat(Seen.networks).hasSize(4).allSatisfy(network -> assertThat(network).isSameAs(Seen.networks.get(0)));
        assertThat(Seen.openNodeNames()).containsExactly(List.of("server", "client"), List.of("server", "client", "inner"));
        assertThat(run.leftAfterReaping()).as("left on the host").isEmpty();
    }

    @Test
    void nestedInstanceNodesShareOneNetworkWithTheEnclosingInstanceNodes() {
        Kit.Run run = Kit.run(NestedWithoutStaticNodesTestCases.class);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(1));
        assertThat(Seen.networks).hasSize(2);
        assertThat(Seen.networks.get(1)).isSameAs(Seen.networks.get(0));
        assertThat(Seen.openNodeNames()).containsExactly(List.of("client", "inner"));
        assertThat(run.leftAfterReaping()).as("left on the host").isEmpty();
    }

    @Test
    void subclassesSharingAStaticFieldOfTheirBaseEachSeeTheirOwnNodeWhenRunConcurrently() {
        Kit.Run run = Kit.runConcurrently(SharedStaticFirstTestCases.class, SharedStaticSecondTestCases.class);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(6).failed(0));
        assertThat(SharedStaticBase.mismatches).isEmpty();
        assertThat(run.leftAfterReaping()).as("left on the host").isEmpty();
    }

    /** Static nodes in a base class: one slot for all subclasses. */
    abstract static class SharedStaticBase {
        static final List<String> mismatches = java.util.Collections.synchronizedList(new ArrayList<>());
        @Container
        static Node shared;

        void check(Network network) throws InterruptedException {
            for (int i = 0; i < 5; i++) {
                Node seen = shared;
                if (seen.network() != network) {
                    mismatches.add(getClass().getSimpleName() + " saw " + seen + " of another network");
                }
                Thread.sleep(20);
            }
        }

        @Test
        void one(Network network) throws InterruptedException {
            check(network);
        }

        @Test
        void two(Network network) throws InterruptedException {
            check(network);
        }

        @Test
        void three(Network network) throws InterruptedException {
            check(network);
        }
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class SharedStaticFirstTestCases extends SharedStaticBase {}

    @Kit.Fixture
    @IsolatedNetwork
    static class SharedStaticSecondTestCases extends SharedStaticBase {}

    /** What the fixtures saw, in the order they saw it. */
    static final class Seen {
        static final List<Node> nodes = new ArrayList<>();
        static final List<Network> networks = new ArrayList<>();
        static final List<List<Node>> openNodes = new ArrayList<>();

        static void nodesOf(Network network) {
            openNodes.add(network.nodes());
        }

        static List<List<String>> openNodeNames() {
            return openNodes.stream().map(nodes -> nodes.stream().map(Node::name).toList()).toList();
        }
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class StaticFieldTestCases {
        @Container
        static Node server;

        @Test
        void one() {
            Seen.nodes.add(server);
        }

        @Test
        void two() {
            Seen.nodes.add(server);
        }
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class InstanceFieldTestCases {
        @Container
        Node client;

        @Test
        void one() {
            Seen.nodes.add(client);
            Seen.networks.add(client.network());
        }

        @Test
        void two() {
            Seen.nodes.add(client);
            Seen.networks.add(client.network());
        }
    }

    @Kit.Fixture
    @IsolatedNetwork
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class StaticAndInstanceFieldTestCases {
        @Container
        static Node server;
        @Container
        Node client;

        @Test
        @Order(1)
        void one() {
            see();
        }

        @Test
        @Order(2)
        void two() {
            see();
        }

        private void see() {
            Seen.nodes.add(client);
            Seen.networks.add(client.network());
            Seen.nodesOf(server.network());
        }
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class NetworkParameterTestCases {
        @Container
        static Node server;
        @Container
        Node client;

        @Test
        void test(Network network) {
            Seen.networks.addAll(List.of(network, server.network(), client.network()));
            Seen.nodesOf(network);
        }
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class ParameterNamingAnExistingNodeTestCases {
        @BeforeAll
        static void start(@Container Node server) {
            Seen.nodes.add(server);
        }

        @BeforeEach
        void setUp(@Container Node server) {
            Seen.nodes.add(server);
        }

        @Test
        void test(@Container Node server) {
            Seen.nodes.add(server);
        }
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class NestedTestCases {
        @Container
        static Node server;
        @Container
        Node client;

        @Test
        void outer(Network network) {
            Seen.networks.add(network);
            Seen.nodesOf(server.network());
        }

        @Nested
        class Inner {
            @Container
            Node inner;

            @Test
            void test(Network network) {
                Seen.networks.addAll(List.of(network, client.network(), inner.network()));
                Seen.nodesOf(network);
            }
        }
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class NestedWithoutStaticNodesTestCases {
        @Container
        Node client;

        @Nested
        class Inner {
            @Container
            Node inner;

            @Test
            void test() {
                Seen.networks.addAll(List.of(client.network(), inner.network()));
                Seen.nodesOf(inner.network());
            }
        }
    }
}
