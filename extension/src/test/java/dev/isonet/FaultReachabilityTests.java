package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.Reachability.Matrix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each fault gives exactly the reachability matrix it promises, measured between five nodes and the host
 * with UDP (directed), TCP connects and ICMP echoes (both need both directions), over IPv4 and IPv6; healing
 * restores the full matrix. Each test builds its own network from 10.219.0.0/16; traffic stays inside it.
 */
@Timeout(120)
class FaultReachabilityTests {
    private static final String POOL = "10.219.0.0/16";
    private static final BiPredicate<String, String> EVERYONE = (from, to) -> true;

    private Network network;
    private Node a;
    private Node b;
    private Node c;
    private Node d;
    private Node e;
    private Reachability reachability;

    @BeforeEach
    void build() {
        network = Network.builder().pool(POOL).node("a", "b", "c", "d", "e").build();
        a = network.node("a");
        b = network.node("b");
        c = network.node("c");
        d = network.node("d");
        e = network.node("e");
        reachability = new Reachability(network, network.nodes());
    }

    @AfterEach
    void close() {
        if (reachability != null) {
            reachability.close();
        }
        if (network != null) {
            network.close();
        }
    }

    private Matrix expected(BiPredicate<String, String> reaches) {
        return Matrix.of(reachability.expected(reaches));
    }

    /** True when {@code from} and {@code to} are in different ones of {@code groups}. */
    private static boolean apart(String from, String to, Set<?>... groups) {
        int fromGroup = -1;
        int toGroup = -1;
        for (int i = 0; i < groups.length; i++) {
            if (groups[i].contains(from)) {
                fromGroup = i;
            }
            if (groups[i].contains(to)) {
                toGroup = i;
            }
        }
        return fromGroup >= 0 && toGroup >= 0 && fromGroup != toGroup;
    }

    private void assertHeals(Fault fault) throws Exception {
        fault.heal();
        assertThat(fault.isActive()).isFalse();
        assertThat(reachability.measure()).as("after healing " + fault).isEqualTo(expected(EVERYONE));
    }

    @Test
    void aHealthyNetworkReachesEveryoneOverEveryProtocol() throws Exception {
        assertThat(reachability.measure()).isEqualTo(expected(EVERYONE));
    }

    @Test
    void aPartitionCutsItsGroupsApartBothWaysWhileNodesNotNamedReachEveryone() throws Exception {
        Fault fault = network.partition(List.of(a, b), List.of(c, d));

        assertThat(fault).hasToString("partition [a, b] | [c, d]");
        assertThat(network.faults()).containsExactly(fault);
        assertThat(reachability.measure())
                .isEqualTo(expected((from, to) -> !apart(from, to, Set.of("a", "b"), Set.of("c", "d"))));
        assertHeals(fault);
    }

    @Test
    void theOutsideInAGroupCutsTheOtherGroupsFromTheHost() throws Exception {
        Fault fault = network.partition(List.of(a), List.of(b, c), List.of(d, network.outside()));

        assertThat(fault).hasToString("partition [a] | [b, c] | [d, outside]");
        assertThat(reachability.measure()).isEqualTo(expected(
                (from, to) -> !apart(from, to, Set.of("a"), Set.of("b", "c"), Set.of("d", "host"))));
        assertHeals(fault);
    }

    @Test
    void anIsolatedNodeReachesNoOneAndNoOneReachesIt() throws Exception {
        Fault fault = network.isolate(c);

        assertThat(fault).hasToString("isolate c");
        assertThat(reachability.measure()).isEqualTo(expected((from, to) -> !from.equals("c") && !to.equals("c")));
        assertHeals(fault);
    }

    @Test
    void anIsolatedNodeIsCutFromNodesThatJoinLater() throws Exception {
        network.isolate(a);
        Node late = network.addNode("late");
        try (Reachability withLate = new Reachability(network, List.of(a, late))) {
            assertThat(withLate.measure()).isEqualTo(Matrix.of(withLate.expected(
                    (from, to) -> !from.equals("a") && !to.equals("a"))));
        }
    }

    @Test
    void aBlockIsOneWay() throws Exception {
        Fault fault = network.block(a, b);

        assertThat(fault).hasToString("block a -> b");
        assertThat(reachability.measure()).isEqualTo(expected((from, to) -> !(from.equals("a") && to.equals("b"))));
        assertHeals(fault);
    }

    @Test
    void aBlockTowardTheOutsideLeavesTheWayInOpen() throws Exception {
        Fault fault = network.block(a, network.outside());

        assertThat(fault).hasToString("block a -> outside");
        assertThat(reachability.measure()).isEqualTo(expected((from, to) -> !(from.equals("a") && to.equals("host"))));
        assertHeals(fault);
    }

    @Test
    void aBlockFromTheOutsideLeavesTheWayOutOpen() throws Exception {
        Fault fault = network.block(network.outside(), e);

        assertThat(fault).hasToString("block outside -> e");
        assertThat(reachability.measure()).isEqualTo(expected((from, to) -> !(from.equals("host") && to.equals("e"))));
        assertHeals(fault);
    }

    @Test
    void halvesCutTheSmallerFirstHalfFromTheRest() throws Exception {
        Fault fault = Partitions.halves(network.nodes());

        assertThat(fault).hasToString("partition [a, b] | [c, d, e]");
        assertThat(reachability.measure())
                .isEqualTo(expected((from, to) -> !apart(from, to, Set.of("a", "b"), Set.of("c", "d", "e"))));
        assertHeals(fault);
    }

    @Test
    void randomHalvesAreTheHalvesOfTheNodesShuffledWithTheSeed() throws Exception {
        List<String> shuffled = new ArrayList<>(List.of("a", "b", "c", "d", "e"));
        Collections.shuffle(shuffled, new Random(42));
        Set<String> first = Set.copyOf(shuffled.subList(0, 2));
        Set<String> second = Set.copyOf(shuffled.subList(2, 5));

        Fault fault = Partitions.randomHalves(network.nodes(), 42);

        assertThat(fault).hasToString("partition " + shuffled.subList(0, 2) + " | " + shuffled.subList(2, 5));
        assertThat(reachability.measure()).isEqualTo(expected((from, to) -> !apart(from, to, first, second)));
        assertHeals(fault);
    }

    @Test
    void aBridgeNodeReachesBothHalvesWhichDoNotReachEachOther() throws Exception {
        Fault fault = Partitions.bridge(network.nodes());

        assertThat(fault).hasToString("bridge c between [a, b] and [d, e]");
        assertThat(reachability.measure())
                .isEqualTo(expected((from, to) -> !apart(from, to, Set.of("a", "b"), Set.of("d", "e"))));
        assertHeals(fault);
    }

    @Test
    void inAMajoritiesRingOfFiveEachNodeSeesItsTwoNeighbours() throws Exception {
        // a b c d e on a ring, majority 3: each node receives from the nodes next to it, and only from them.
        Set<String> neighbours = Set.of("a-b", "b-c", "c-d", "d-e", "e-a");

        Fault fault = Partitions.majoritiesRing(network.nodes());

        assertThat(fault).hasToString("majorities ring [a, b, c, d, e]");
        assertThat(reachability.measure()).isEqualTo(expected((from, to) -> from.equals("host") || to.equals("host")
                || neighbours.contains(from + "-" + to) || neighbours.contains(to + "-" + from)));
        assertHeals(fault);
    }

    @Test
    void inAMajoritiesRingOfSixTheCutsAreOneWayWhereWindowsDiffer() throws Exception {
        Node f = network.addNode("f");
        try (Reachability six = new Reachability(network, List.of(a, b, c, d, e, f))) {
            // Majority 4. The window a b c d belongs to c: c receives from a, b and d. So each node receives
            // from the two nodes before it and the one after it: a from e, f and b.
            Set<String> receivesFrom = Set.of("e>a", "f>a", "b>a", "f>b", "a>b", "c>b", "a>c", "b>c", "d>c",
                    "b>d", "c>d", "e>d", "c>e", "d>e", "f>e", "d>f", "e>f", "a>f");

            Fault fault = Partitions.majoritiesRing(List.of(a, b, c, d, e, f));

            Matrix expected = Matrix.of(six.expected((from, to) -> from.equals("host") || to.equals("host")
                    || receivesFrom.contains(from + ">" + to)));
            assertThat(expected.udp4()).as("one-way pairs exist").contains("e->a").doesNotContain("a->e");
            assertThat(six.measure()).isEqualTo(expected);
            fault.heal();
            assertThat(six.measure()).isEqualTo(Matrix.of(six.expected(EVERYONE)));
        }
    }

    @Test
    void aPairCutByTwoFaultsStaysCutUntilBothAreHealed() throws Exception {
        Fault partition = network.partition(List.of(a), List.of(b));
        Fault block = network.block(a, b);

        partition.heal();
        assertThat(network.faults()).containsExactly(block);
        assertThat(reachability.measure()).isEqualTo(expected((from, to) -> !(from.equals("a") && to.equals("b"))));
        block.heal();
        assertThat(reachability.measure()).isEqualTo(expected(EVERYONE));
    }

    @Test
    void networkHealUndoesEveryFaultAtOnce() throws Exception {
        List<Fault> faults = List.of(network.partition(List.of(a, b), List.of(c)), network.isolate(d),
                network.block(e, network.outside()), b.loss(100, Direction.EGRESS), e.disconnect(),
                network.outside().loss(50));

        network.heal();

        assertThat(faults).noneMatch(Fault::isActive);
        assertThat(network.faults()).isEmpty();
        assertThat(reachability.measure()).isEqualTo(expected(EVERYONE));
    }
}
