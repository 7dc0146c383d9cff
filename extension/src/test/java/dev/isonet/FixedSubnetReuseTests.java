package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A test that closes a network or an external host and at once makes another on the same fixed subnet (a
 * {@code @BeforeEach}/{@code @AfterEach} pair) must get it: the lease is released when the kernel has removed the
 * host link, and only then.
 */
@RequiresPrivileges
class FixedSubnetReuseTests {
    private static final int ROUNDS = Math.max(30, Integer.getInteger("isonet.test.rounds", 200) / 4);

    @Test
    @Timeout(60)
    void anExternalHostClosedIsMadeAgainAtOnceOnTheSameAddress() {
        // The deletion of the previous link of the same name must not be taken for this one's.
        for (int i = 0; i < ROUNDS; i++) {
            ExternalHost.create("again", "198.51.100.249/29").close();
        }
    }

    @Test
    @Timeout(60)
    void aNetworkClosedIsBuiltAgainAtOnceOnTheSameSubnet() {
        for (int i = 0; i < ROUNDS; i++) {
            try (Network network = Network.builder().subnet("10.218.160.0/24").node("a").build()) {
                assertThat(network.subnet()).isEqualTo("10.218.160.0/24");
            }
        }
    }

    @Test
    @Timeout(60)
    void anExternalHostGetsTheSubnetOfARouterKeptForReuse() {
        Network.builder().subnet("10.218.161.0/24").node("a").build().close(); // its router is kept for the next
        try (ExternalHost host = ExternalHost.create("kept", "10.218.161.9/24")) {
            assertThat(host.address().getHostAddress()).isEqualTo("10.218.161.9");
        }
    }

    @Test
    @Timeout(90)
    void processesForkedMeanwhileDoNotKeepAClosedLease() throws Exception {
        // A fork copies every fd, lease sockets too, until the child execs: the name stays bound a moment.
        Forks forks = Forks.start();
        try (forks) {
            for (int i = 0; i < ROUNDS * 2; i++) {
                ExternalHost.create("forked", "198.51.100.249/29").close();
            }
        }
        assertThat(forks.failures()).isEmpty();
        assertThat(forks.count()).as("processes forked while external hosts came and went").isGreaterThan(ROUNDS);
    }
}
