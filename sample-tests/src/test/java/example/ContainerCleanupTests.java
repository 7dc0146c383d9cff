package example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.NodeSpec;
import dev.isonet.junit.IsolatedNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A process tree that a container leaves running, a detached daemon included, ends with the test. */
@IsolatedNetwork
@Timeout(60)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerCleanupTests {
    @TempDir
    static Path rootfs;

    @BeforeAll
    static void buildRootfs() throws Exception {
        BusyboxRootfs.build(rootfs);
    }

    @Test
    @Order(1)
    void aProcessTreeIsStillRunningWhenTheTestEnds(Network network) throws Exception {
        Node box = network.addNode(NodeSpec.named("box").rootfs(rootfs).memoryLimit("64m").pidsLimit(50));

        box.start(new ProcessBuilder("sh", "-c", "sleep 7001 & setsid sh -c 'sleep 7002 &'; exec sleep 7003"));

        await().atMost(Duration.ofSeconds(10)).until(() -> running().size() == 3);
    }

    @Test
    @Order(2)
    void itIsGoneAfterwards() {
        assertThat(running()).isEmpty();
    }

    /** The tree's sleeps, as the host sees them: busybox (their command) with 7001, 7002 or 7003. */
    private static List<ProcessHandle> running() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().filter(a -> a.length == 1 && a[0].matches("700[123]")).isPresent())
                .toList();
    }
}
