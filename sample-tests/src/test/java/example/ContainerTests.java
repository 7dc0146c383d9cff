package example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.isonet.ExecResult;
import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.NodeSpec;
import dev.isonet.junit.IsolatedNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes whose processes run in a root filesystem of their own, as containers do: an overlay of a directory (here
 * one built from busybox), with the node's own processes in /proc, its own /dev, /sys and /tmp, and the
 * network's names in /etc/hosts.
 */
// README: container
@IsolatedNetwork
@Timeout(60)
class ContainerTests {
    @TempDir
    static Path rootfs;

    @BeforeAll
    static void buildRootfs() throws Exception {
        BusyboxRootfs.build(rootfs);
    }

    @Test
    void httpdInAContainerServesAnotherNodeByName(Network network) throws Exception {
        Node web = network.addNode(NodeSpec.named("web").rootfs(rootfs));
        Node client = network.addNode("client");

        web.start(new ProcessBuilder("httpd", "-f", "-p", "80", "-h", "/www"));

        ExecResult page = await().atMost(Duration.ofSeconds(10)).until(
                () -> client.exec("busybox", "wget", "-q", "-O", "-", "http://web/index.html"),
                fetched -> fetched.exitCode() == 0);
        assertThat(page.stdout()).isEqualTo("hello from the container\n");
    }
// README: end

    @Test
    void psInAContainerShowsOnlyItsOwnProcessesWithPid1First(Network network) throws Exception {
        Node box = network.addNode(NodeSpec.named("box").rootfs(rootfs));
        box.start(new ProcessBuilder("sleep", "30"));

        List<String> ps = box.exec("ps", "-o", "pid,args").stdout().lines().skip(1).map(String::strip).toList();

        assertThat(ps.get(0)).startsWith("1 "); // the node's init, which only reaps
        assertThat(ps).anyMatch(p -> p.endsWith(" sleep 30")).anyMatch(p -> p.endsWith(" ps -o pid,args"))
                .hasSizeLessThan(6).noneMatch(p -> p.contains("java"));
    }

    @Test
    void whatAContainerWritesLandsInItsUpperDirectoryAndTheRootfsStaysAsItWas(Network network) throws Exception {
        Node box = network.addNode(NodeSpec.named("box").rootfs(rootfs));

        box.exec("sh", "-c", "echo written > /www/new.txt && echo changed >> /www/index.html");

        Path changes = box.rootfsChanges(); // the overlay's upper directory, removed with the node
        assertThat(changes.resolve("www/new.txt")).hasContent("written");
        assertThat(changes.resolve("www/index.html")).hasContent("hello from the container\nchanged");
        assertThat(rootfs.resolve("www/new.txt")).doesNotExist();
        assertThat(rootfs.resolve("www/index.html")).hasContent("hello from the container");
    }
}
