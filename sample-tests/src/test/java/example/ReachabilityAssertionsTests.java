package example;

import static dev.isonet.assertj.IsonetAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Isonet's AssertJ assertions: who reaches whom, on which protocol, and what a failure says. */
@IsolatedNetwork(subnet = "10.218.160.0/24")
@Timeout(60)
class ReachabilityAssertionsTests {
    @Container(address = "10.218.160.2")
    Node web;
    @Container(address = "10.218.160.3")
    Node db;
    @Container(address = "10.218.160.4")
    Node cache;

    @Test
    void aPartitionCutsTheDatabaseOffAndTheAssertionsSayHow(Network network) throws Exception {
// README: assertions
        try (ServerSocket postgres = db.run(() -> new ServerSocket(5432))) {
            assertThat(db).isListeningOn(5432);
            assertThat(web).canReach(db).onTcpPort(5432).canReach(cache).viaIcmp();
            assertThat(network).onUdpPort(9000).isFullyConnected();

            network.partition(List.of(web, cache), List.of(db));

            assertThat(web).cannotReach(db).within(Duration.ofMillis(500)).onTcpPort(5432);
            assertThat(network).within(Duration.ofMillis(500)).isPartitionedAs(List.of(web, cache), List.of(db));
// README: end
            assertThatThrownBy(() -> assertThat(web).canReach(db).within(Duration.ofMillis(500)).onTcpPort(5432))
                    .hasMessage("Expecting node 'web' (10.218.160.2) to reach node 'db' (10.218.160.3) on TCP port 5432"
                            + " within 500 ms, but it did not: timed out.\n"
                            + "Faults active on network 10.218.160.0/24: partition [web, cache] | [db]");
        }
    }

    @Test
    void aMatrixThatDiffersIsPrintedAsATable(Network network) {
        network.block(web, db);

        assertThatThrownBy(() -> assertThat(network).within(Duration.ofMillis(500)).isFullyConnected())
                .hasMessage("Expecting the nodes of network 10.218.160.0/24 to be fully connected via ICMP within 500 ms,"
                        + " but 2 of 6 pairs differ (marked *):\n"
                        + "from \\ to  web     db      cache\n"
                        + "web        -       no*     yes\n"
                        + "db         no*     -       yes\n"
                        + "cache      yes     yes     -\n"
                        + "web -> db: expected to reach, but it did not: timed out\n"
                        + "db -> web: expected to reach, but it did not: timed out\n"
                        + "Faults active on network 10.218.160.0/24: block web -> db");
    }
}
