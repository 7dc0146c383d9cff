package example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.ExecResult;
import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Resource limits on a node's processes (cgroups): memory, pids and CPU. */
// README: limits
@IsolatedNetwork
@Timeout(60)
class ContainerLimitsTests {

    @Test
    void aProcessPastTheMemoryLimitIsKilledByTheOomKiller(@Container(memory = "64m") Node small) throws Exception {
        // One 256 MiB buffer filled from /dev/zero: bounded, even where no limit held it.
        ExecResult dd = small.exec("dd", "if=/dev/zero", "of=/dev/null", "bs=256M", "count=1");

        assertThat(dd.exitCode()).isEqualTo(137); // 128 + SIGKILL
        assertThat(small.oomKills()).isEqualTo(1);
    }

    @Test
    void aForkBombStopsAtThePidsLimit(@Container(pids = 20) Node few) throws Exception {
        // Seven levels of two children each, then a second of sleep: at most 255 processes, even without a limit.
        ExecResult bomb = few.exec(Duration.ofSeconds(30), "sh", "-c",
                "bomb() { if [ $1 -gt 0 ]; then bomb $(($1 - 1)) & bomb $(($1 - 1)) & wait; else sleep 1; fi; }; bomb 7");

        assertThat(few.forksRefused()).isPositive();
        assertThat(bomb.stderr()).contains("fork");
    }
// README: end
}
