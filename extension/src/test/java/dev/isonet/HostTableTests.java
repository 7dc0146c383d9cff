package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The host table exists while networks do, and goes soon after the last one is reaped. */
@RequiresPrivileges
class HostTableTests {
    private static final String TABLE = "nft table inet isonet-" + ProcessHandle.current().pid();

    @Test
    @Timeout(60)
    void theHostTableLivesOnlyAsLongAsNetworksNeedIt() throws Exception {
        try (Network network = Network.builder().subnet("10.217.252.0/24").node("a").build()) {
            assertThat(HostSnapshot.take().lines()).contains(TABLE);
            network.close();
            network.reaped().get();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (HostSnapshot.take().lines().contains(TABLE) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(HostSnapshot.take().lines()).doesNotContain(TABLE);
    }
}
