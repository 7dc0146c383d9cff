package dev.isonet.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.RequiresPrivileges;
import dev.isonet.internal.diagnostics.PcapFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;

/**
 * A failed test's diagnostics folder: where it goes, what it holds, how the failure names it, and the modes
 * {@code on-failure}, {@code always} and {@code never}.
 */
@RequiresPrivileges
@Timeout(120)
class DiagnosticsFolderTests {
    @TempDir
    Path base;

    @AfterEach
    void forgetSettings() {
        System.clearProperty("isonet.diagnostics.dir");
        System.clearProperty("isonet.diagnostics");
    }

    private Kit.Run run(Class<?> fixture, String mode) {
        System.setProperty("isonet.diagnostics.dir", base.toString());
        System.setProperty("isonet.diagnostics", mode);
        return Kit.run(fixture);
    }

    private static Throwable failure(Kit.Run run) {
        return run.results().testEvents().failed().list().get(0).getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
    }

    @Test
    void aFailedTestsFolderHoldsItsHandshakeTopologyRulesEventsProcessLogsAndFailure() throws Exception {
        Kit.Run run = run(HandshakeThenFailTestCases.class, "on-failure");

        Throwable failure = failure(run);
        Path folder = base.resolve(HandshakeThenFailTestCases.class.getName()).resolve("failsAfterAHandshake");
        assertThat(failure).hasMessage("fails on purpose");
        assertThat(failure.getSuppressed()[0]).isInstanceOf(DiagnosticsFolder.class);
        assertThat(failure.getSuppressed()[0].getMessage()).matches("isonet wrote this test's network diagnostics to "
                + java.util.regex.Pattern.quote(folder.toString()) + "/: capture\\.pcap \\(\\d+ frames; each cut to 1514"
                + " bytes at most\\), topology\\.txt, nftables\\.txt, events\\.txt, process-server-1-sh\\.log,"
                + " failure\\.txt\nfaults active at the failure: loss 10% ingress on node client");
        try (var files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("capture.pcap",
                    "topology.txt", "nftables.txt", "events.txt", "process-server-1-sh.log", "failure.txt");
        }
        Map<String, String> seen = HandshakeThenFailTestCases.seen;
        List<PcapFile.Tcp> tcp = PcapFile.read(folder.resolve("capture.pcap")).tcp();
        assertThat(tcp).filteredOn(t -> t.isSyn() && t.source().getHostAddress().equals(seen.get("client"))
                && t.destination().getHostAddress().equals(seen.get("server")) && t.destinationPort() == 7100)
                .hasSize(1);
        assertThat(tcp).filteredOn(t -> t.isSynAck() && t.source().getHostAddress().equals(seen.get("server"))
                && t.sourcePort() == 7100 && t.destination().getHostAddress().equals(seen.get("client"))).hasSize(1);
        assertThat(Files.readString(folder.resolve("topology.txt")))
                .contains("node 'server' (" + seen.get("server") + ", ").contains("eth0 " + seen.get("server") + "/24")
                .contains("node 'client' (" + seen.get("client") + ", ").contains("eth0 " + seen.get("client") + "/24")
                .contains("# node 'server', bridge port forwarding").contains("\nhost (its end of the uplink)\n");
        assertThat(Files.readString(folder.resolve("nftables.txt")))
                .startsWith("active faults, oldest first:\n  loss 10% ingress on node client\n")
                .contains("table bridge isonet-faults");
        assertThat(Files.readString(folder.resolve("events.txt"))).contains("router up: subnet ")
                .contains("  node added: server (").contains("  adding loss 10% ingress on node client (");
        assertThat(Files.readString(folder.resolve("process-server-1-sh.log"))).startsWith("'sh -c echo ready; sleep 30' (pid ")
                .contains(" stdout| ready\n").doesNotContain("stdout| never");
        assertThat(Files.readString(folder.resolve("failure.txt")))
                .startsWith("org.opentest4j.AssertionFailedError: fails on purpose");
        assertThat(run.leftAfterReaping()).as("left on the host").isEmpty();
    }

    @Test
    void withModeNeverNoFolderIsWrittenAndTheFailureIsAsItWas() {
        Kit.Run run = run(HandshakeThenFailTestCases.class, "never");

        assertThat(failure(run).getSuppressed()).hasSize(1).allMatch(s -> s instanceof NodeLogs);
        assertThat(base).isEmptyDirectory();
    }

    @Test
    void withModeAlwaysAPassingTestGetsAFolderToo() {
        Kit.Run run = run(PassingTestCases.class, "always");

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(3));
        Path tests = base.resolve(PassingTestCases.class.getName());
        assertThat(tests.resolve("passes").resolve("topology.txt")).exists();
        assertThat(tests.resolve("passesTwice[2]").resolve("capture.pcap")).exists();
        assertThat(tests.resolve("passesTwice[2]").resolve("failure.txt")).doesNotExist();
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class HandshakeThenFailTestCases {
        static final Map<String, String> seen = new java.util.concurrent.ConcurrentHashMap<>();

        @Container
        Node server;
        @Container
        Node client;

        @Test
        void failsAfterAHandshake() throws Exception {
            seen.put("server", server.ipv4().getHostAddress());
            seen.put("client", client.ipv4().getHostAddress());
            server.start("sh", "-c", "echo ready; sleep 30").awaitLog("ready", java.time.Duration.ofSeconds(5));
            try (ServerSocket listener = server.run(() -> new ServerSocket(7100))) {
                var accepted = server.executor().submit(() -> {
                    listener.accept().close();
                    return null;
                });
                client.run(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(server.ipv4(), 7100), 5_000);
                    }
                    return null;
                });
                accepted.get(5, TimeUnit.SECONDS);
            }
            client.loss(10, dev.isonet.Direction.INGRESS);
            fail("fails on purpose");
        }
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class PassingTestCases {
        @Container
        Node only;

        @Test
        void passes() {
        }

        @RepeatedTest(2)
        void passesTwice(Network network) {
        }
    }
}
