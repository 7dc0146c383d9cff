package example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isonet.Command;
import dev.isonet.Node;
import dev.isonet.NodeProcess;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Waiting for a server that takes its time, and what a wait says when the server never comes. */
@IsolatedNetwork
@Timeout(60)
class ReadinessTests {
    @Container
    Node web;

    @Test
    void awaitListeningWaitsForASlowStartingServer() throws Exception {
        long start = System.nanoTime();
        web.start(Command.shell("sleep 1.5; exec /usr/bin/python3 -m http.server 8080").directory("/tmp"));

        web.awaitListening(8080, Duration.ofSeconds(30));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1500));
        assertThat(web.exec("curl", "--noproxy", "*", "-fsS", "-o", "/dev/null", "-w", "%{http_code}",
                "http://localhost:8080/").stdout()).isEqualTo("200");
    }

    @Test
    void awaitListeningSaysWhatItWaitedForAndWhatItSaw() throws Exception {
        NodeProcess broken = web.start("/usr/bin/python3", "-m", "http.server", "not-a-port");
        broken.waitFor();

        assertThatThrownBy(() -> web.awaitListening(8080, Duration.ofMillis(500)))
                .isInstanceOf(ConditionTimeoutException.class)
                .hasMessageStartingWith("nothing in node 'web' listened on TCP port 8080 or was bound to UDP port 8080"
                        + " within 500 ms")
                .hasMessageContaining("at the last look: TCP listening on no port, UDP bound to no port")
                .hasMessageContaining("/usr/bin/python3 -m http.server not-a-port' (pid " + broken.pid()
                        + ") in node 'web', exited with code 2:")
                .hasMessageContaining("error: argument port: invalid int value: 'not-a-port'");
    }
}
