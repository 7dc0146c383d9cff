package dev.isonet.internal.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.Forks;
import dev.isonet.RequiresPrivileges;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The host table is dropped after the last network and made again with the next. A process forked at the
 * moment it is dropped holds a copy of its owner socket until it execs: the next network must not fail then.
 */
@RequiresPrivileges
class HostTableForkTests {
    private static final int ROUNDS = 300;

    @Test
    @Timeout(120)
    void theHostTableIsMadeAgainWhileProcessesFork() throws Exception {
        // No router kept from an earlier test may hold the table.
        IdleRouters.evictAll();
        for (long deadline = System.nanoTime() + 10_000_000_000L; Reaper.pending() > 0 && System.nanoTime() < deadline; ) {
            Thread.sleep(10);
        }
        List<RuntimeException> failures = new ArrayList<>();
        int dropped = 0;
        Forks forks = Forks.start();
        try (forks) {
            for (int i = 0; i < ROUNDS; i++) {
                try {
                    HostTable.acquire(); // before: EPERM now and then, the dropped table still there
                    HostTable.release();
                } catch (RuntimeException e) {
                    failures.add(e);
                }
                dropped += HostTable.dropNowIfUnused() ? 1 : 0;
            }
        }
        assertThat(failures).isEmpty();
        assertThat(dropped).as("rounds that dropped the table and made it again").isEqualTo(ROUNDS);
        assertThat(forks.failures()).isEmpty();
        assertThat(forks.count()).as("processes forked meanwhile").isPositive();
    }
}
