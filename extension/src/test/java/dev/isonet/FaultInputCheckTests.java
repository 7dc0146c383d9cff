package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad arguments fail before anything changes, naming the parameter and the value; faults on closed things
 * fail with IllegalStateException. Shapes given too few nodes need no network (and no root); the rest use two
 * small networks from 10.219.0.0/16, built once: every call here fails, so they stay healthy.
 */
@Timeout(60)
class FaultInputCheckTests {

    @Test
    void shapesNeedEnoughNodesBeforeAnyNetworkIsTouched() {
        assertThatThrownBy(() -> Partitions.halves(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nodes []: this shape needs at least 2 nodes, got 0");
        assertThatThrownBy(() -> Partitions.randomHalves(Collections.singletonList(null), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nodes [null]: this shape needs at least 2 nodes, got 1");
        assertThatThrownBy(() -> Partitions.bridge(Collections.nCopies(2, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nodes [null, null]: this shape needs at least 3 nodes, got 2");
        assertThatThrownBy(() -> Partitions.majoritiesRing(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("nodes");
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnANetwork {
        private Network network;
        private Network other;
        private Node a;
        private Node b;
        private Node z;

        @BeforeAll
        void build() {
            network = Network.builder().pool("10.219.0.0/16").node("a", "b", "c").build();
            other = Network.builder().pool("10.219.0.0/16").node("z").build();
            a = network.node("a");
            b = network.node("b");
            z = other.node("z");
        }

        @AfterAll
        void close() {
            network.close();
            other.close();
        }

        @AfterEach
        void nothingChanged() {
            assertThat(network.faults()).isEmpty();
            assertThat(other.faults()).isEmpty();
        }

        @SafeVarargs
        private void partition(Collection<? extends Endpoint>... groups) {
            network.partition(groups);
        }

        @Test
        void aPartitionNeedsTwoGroups() {
            assertThatThrownBy(() -> partition(List.of(a, b))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("partition needs at least two groups, got 1");
        }

        @Test
        void aGroupMustNotBeEmpty() {
            assertThatThrownBy(() -> partition(List.of(a), List.of())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("groups[1] is empty");
        }

        @Test
        void groupsMustNotOverlap() {
            assertThatThrownBy(() -> partition(List.of(a, b), List.of(network.node("c"), a)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("node 'a' is in groups[0] and in groups[1]: groups must not overlap");
            assertThatThrownBy(() -> partition(List.of(network.outside()), List.of(a, network.outside())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("outside is in groups[0] and in groups[1]: groups must not overlap");
        }

        @Test
        void nullsAreNamed() {
            List<Node> withNull = new ArrayList<>();
            withNull.add(null);
            assertThatThrownBy(() -> partition(List.of(a), withNull)).isInstanceOf(NullPointerException.class)
                    .hasMessage("groups[1]");
            assertThatThrownBy(() -> network.block(a, null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("to");
            assertThatThrownBy(() -> a.loss(10, null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("direction");
        }

        @Test
        void endpointsOfAnotherNetworkAreRefusedByName() {
            String where = " is on network " + other.subnet() + ", not on network " + network.subnet();
            assertThatThrownBy(() -> partition(List.of(a), List.of(b, z))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("groups[1]: node 'z'" + where);
            assertThatThrownBy(() -> network.isolate(z)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("node: node 'z'" + where);
            assertThatThrownBy(() -> network.block(a, other.outside())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("to: the outside of network " + other.subnet() + ", not of network "
                            + network.subnet());
            assertThatThrownBy(() -> Partitions.majoritiesRing(List.of(a, b, z)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("nodes[2]: node 'z' is on network " + other.subnet() + ", not on network "
                            + network.subnet() + " as nodes[0] is");
        }

        @Test
        void aBlockNeedsTwoEndpointsAndANodeOfThisNetwork() {
            assertThatThrownBy(() -> network.block(a, a)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("from and to are both node 'a': a block needs two endpoints");
            try (ExternalHost x = ExternalHost.create("x", "198.51.100.233/29")) {
                assertThatThrownBy(() -> network.block(network.outside(), x))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("block needs a node of network " + network.subnet() + " on one side at least:"
                                + " from outside to external host 'x' does not pass through it");
            }
        }

        @ParameterizedTest
        @ValueSource(doubles = {-0.1, 100.01, Double.NaN, Double.POSITIVE_INFINITY})
        void lossOutsideZeroToAHundredIsRefused(double percent) {
            assertThatThrownBy(() -> a.loss(percent)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("percent " + percent + " must be 0 to 100");
            assertThatThrownBy(() -> network.outside().loss(percent, Direction.INGRESS))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("percent " + percent + " must be 0 to 100");
        }

        @ParameterizedTest
        @ValueSource(longs = {7, 0, -1, Long.MIN_VALUE})
        void aRateBelowEightBitsASecondIsRefused(long bitsPerSecond) {
            assertThatThrownBy(() -> a.rate(bitsPerSecond)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("bitsPerSecond " + bitsPerSecond + " must be at least 8 (one byte a second)");
            assertThatThrownBy(() -> network.outside().rate(bitsPerSecond, Direction.EGRESS))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("bitsPerSecond " + bitsPerSecond + " must be at least 8 (one byte a second)");
        }

        @Test
        void aDelayNeedsNoNegativeTimesAJitterWithinTheDelayAndAtMost274Seconds() {
            assertThatThrownBy(() -> a.delay(Duration.ofMillis(-5))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("delay -5 ms must not be negative");
            assertThatThrownBy(() -> a.delay(Duration.ofMillis(10), Duration.ofNanos(-1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("jitter -0.000001 ms must not be negative");
            assertThatThrownBy(() -> network.outside().delay(Duration.ofMillis(10), Duration.ofMillis(20)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("jitter 20 ms must not exceed delay 10 ms (a packet is held for delay ± jitter)");
            assertThatThrownBy(() -> a.delay(Duration.ofSeconds(270), Duration.ofSeconds(5), Direction.EGRESS))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("delay 270000 ms + jitter 5000 ms must be at most 274000 ms (netem's limit)");
            assertThatThrownBy(() -> a.delay(Duration.ofDays(365_000_000L)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("delay PT8760000000H + jitter 0 ms must be at most 274000 ms (netem's limit)");
            assertThatThrownBy(() -> a.delay(Duration.ofSeconds(Long.MIN_VALUE)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageEndingWith(" must not be negative");
            assertThatThrownBy(() -> a.delay(Duration.ofSeconds(Long.MAX_VALUE), Duration.ofSeconds(Long.MAX_VALUE)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageEndingWith("(netem's limit)");
        }

        @Test
        void nullsOfRatesAndDelaysAreNamed() {
            assertThatThrownBy(() -> a.rate(1000, null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("direction");
            assertThatThrownBy(() -> a.delay(null)).isInstanceOf(NullPointerException.class).hasMessage("delay");
            assertThatThrownBy(() -> a.delay(Duration.ZERO, null, Direction.BOTH))
                    .isInstanceOf(NullPointerException.class).hasMessage("jitter");
            assertThatThrownBy(() -> a.delay(Duration.ZERO, (Direction) null))
                    .isInstanceOf(NullPointerException.class).hasMessage("direction");
        }

        @Test
        void aShapeRefusesANodeGivenTwice() {
            assertThatThrownBy(() -> Partitions.bridge(List.of(a, b, a))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("nodes[0] and nodes[2] are both node 'a'");
        }

        @Test
        void aClosedExternalHostIsRefused() {
            ExternalHost x = ExternalHost.create("x", "198.51.100.233/29");
            x.close();
            assertThatThrownBy(() -> network.block(a, x)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("external host 'x' is closed");
        }
    }

    @Test
    void aClosedNodeIsRefusedAndNothingChanges() {
        try (Network network = Network.builder().pool("10.219.0.0/16").node("a", "b", "c").build()) {
            Node c = network.node("c");
            c.close();
            List<Node> nodes = List.of(network.node("a"), network.node("b"), c);

            assertThatThrownBy(() -> network.partition(nodes.subList(0, 2), List.of(c)))
                    .isInstanceOf(NodeClosedException.class).hasMessage("node 'c' is closed");
            assertThatThrownBy(() -> Partitions.majoritiesRing(nodes))
                    .isInstanceOf(NodeClosedException.class).hasMessage("node 'c' is closed");
            assertThatThrownBy(c::disconnect).isInstanceOf(NodeClosedException.class)
                    .hasMessage("node 'c' is closed");
            assertThatThrownBy(() -> c.rate(1_000_000)).isInstanceOf(NodeClosedException.class)
                    .hasMessage("node 'c' is closed");
            assertThatThrownBy(() -> c.delay(Duration.ofMillis(5))).isInstanceOf(NodeClosedException.class)
                    .hasMessage("node 'c' is closed");
            assertThat(network.faults()).isEmpty();
        }
    }

    @Test
    void ratesAndDelaysOnAClosedNetworkAreRefused() {
        Network network = Network.builder().pool("10.219.0.0/16").node("a").build();
        Node a = network.node("a");
        network.close();

        assertThatThrownBy(() -> a.rate(1_000_000)).isInstanceOf(IllegalStateException.class)
                .hasMessage("network " + network.subnet() + " is closed");
        assertThatThrownBy(() -> network.outside().delay(Duration.ofMillis(1), Direction.INGRESS))
                .isInstanceOf(IllegalStateException.class).hasMessage("network " + network.subnet() + " is closed");
    }
}
