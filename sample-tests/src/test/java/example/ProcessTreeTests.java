package example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.Command;
import dev.isonet.ExecResult;
import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Processes that fork and detach are still the node's: nothing outlives it. */
@IsolatedNetwork
@Timeout(60)
class ProcessTreeTests {
    private static List<ProcessHandle> grandchildren = List.of();

    @Container
    Node node;

    @Test
    void aProcessThatForksAGrandchildAndExits() throws Exception {
        ExecResult parent = node.exec("sh", "-c", "setsid sleep 313 </dev/null >/dev/null 2>&1 & echo forked");
        assertThat(parent.stdout()).isEqualTo("forked\n");

        assertThat(node.exec("pgrep", "-x", "sleep", "-a").stdout()).contains("sleep 313"); // still running, orphaned
        grandchildren = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").endsWith("sleep 313")).toList();
        assertThat(grandchildren).isNotEmpty();
    }

    @AfterAll
    static void theGrandchildIsGoneOnceTheNodeIsClosed() {
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> grandchildren.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void aProcessRunsAsANonRootUser() throws Exception {
        var server = node.start(Command.of("/usr/bin/python3", "-m", "http.server", "8000").user("nobody")
                .directory("/tmp"));
        node.awaitListening(8000);

        assertThat(node.exec(Command.of("id", "-un").user("nobody")).stdout()).isEqualTo("nobody\n");
        assertThat(node.exec("ps", "-o", "user=", "-p", "" + pidInNode(server.pid())).stdout().strip())
                .isEqualTo("nobody");
    }

    /** A process's PID inside the node's own PID namespace (the last NSpid entry of its status). */
    private static long pidInNode(long hostPid) throws Exception {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + hostPid + "/status"))) {
            if (line.startsWith("NSpid:")) {
                String[] pids = line.substring(6).strip().split("\\s+");
                return Long.parseLong(pids[pids.length - 1]);
            }
        }
        throw new IllegalStateException("no NSpid for " + hostPid);
    }
}
