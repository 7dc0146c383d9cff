package example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A test that fails on purpose, run through the JUnit test kit so that this build stays green: its failure names
 * the diagnostics folder Isonet wrote, whose capture.pcap holds the test's TCP handshake and whose topology.txt
 * lists both nodes' addresses.
 */
@Timeout(60)
class DiagnosticsOnFailureTests {
    private static final String KIT = "example.diagnostics.kit";
    static final Map<String, String> SEEN = new ConcurrentHashMap<>();

    @Test
    void aFailedTestsFolderHoldsItsHandshakeAndTopology() throws Exception {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(KIT, "true")
                .selectors(selectClass(FailsAfterAConnection.class))
                .execute();

        Throwable failure = results.testEvents().failed().list().get(0).getPayload(TestExecutionResult.class)
                .orElseThrow().getThrowable().orElseThrow();
        Path folder = Path.of("target", "isonet", FailsAfterAConnection.class.getName(), "failsAfterAConnection")
                .toAbsolutePath();
        assertThat(failure).hasMessage("the order service timed out, on purpose");
        assertThat(failure.getSuppressed()[0].getMessage())
                .startsWith("isonet wrote this test's network diagnostics to " + folder + "/: capture.pcap (")
                .contains("topology.txt, nftables.txt, events.txt, failure.txt");

        List<Segment> tcp = Pcap.read(folder.resolve("capture.pcap"));
        String server = SEEN.get("server");
        String client = SEEN.get("client");
        int port = Integer.parseInt(SEEN.get("clientPort"));
        assertThat(tcp).contains(new Segment(client, port, server, 8080, "SYN"),
                new Segment(server, 8080, client, port, "SYN-ACK"));
        assertThat(Files.readString(folder.resolve("topology.txt")))
                .contains("eth0 " + server + "/24").contains("eth0 " + client + "/24");
    }

    /** Runs only under the test kit, started by the test above. */
    static final class OnlyInTheKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(KIT).isPresent()
                    ? ConditionEvaluationResult.enabled("run by DiagnosticsOnFailureTests")
                    : ConditionEvaluationResult.disabled("fails on purpose; run by DiagnosticsOnFailureTests");
        }
    }

    @ExtendWith(OnlyInTheKit.class)
    @IsolatedNetwork
    static class FailsAfterAConnection {
        @Container
        Node server;
        @Container
        Node client;

        @Test
        void failsAfterAConnection() throws Exception {
            SEEN.put("server", server.ipv4().getHostAddress());
            SEEN.put("client", client.ipv4().getHostAddress());
            try (ServerSocket listener = server.run(() -> new ServerSocket(8080))) {
                Future<?> accepted = server.executor().submit(() -> {
                    listener.accept().close();
                    return null;
                });
                int port = client.run(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(server.ipv4(), 8080), 5_000);
                        return socket.getLocalPort();
                    }
                });
                SEEN.put("clientPort", Integer.toString(port));
                accepted.get(5, TimeUnit.SECONDS);
            }
            fail("the order service timed out, on purpose");
        }
    }

    /** A TCP segment's ends and its flags, as "SYN", "SYN-ACK" or the flags in hex. */
    record Segment(String source, int sourcePort, String destination, int destinationPort, String flags) {}

    /** A small reader of classic pcap files with Ethernet frames: the IPv4 TCP segments in them. */
    static final class Pcap {
        static List<Segment> read(Path file) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            if (b.getInt() != 0xa1b2c3d4 || b.getShort() != 2 || b.getShort() != 4) {
                throw new IOException(file + " is not a pcap 2.4 file");
            }
            b.position(20);
            if (b.getInt() != 1) {
                throw new IOException(file + " does not hold Ethernet frames");
            }
            List<Segment> segments = new ArrayList<>();
            while (b.remaining() >= 16) {
                b.position(b.position() + 8); // time
                int kept = b.getInt();
                b.getInt(); // length on the wire
                ByteBuffer frame = b.slice().limit(kept).order(ByteOrder.BIG_ENDIAN);
                b.position(b.position() + kept);
                if (kept < 54 || frame.getShort(12) != 0x0800 || frame.get(23) != 6) {
                    continue; // not IPv4 TCP
                }
                int tcp = 14 + (frame.get(14) & 0x0f) * 4;
                int flags = frame.get(tcp + 13) & 0x3f;
                segments.add(new Segment(address(frame, 26), Short.toUnsignedInt(frame.getShort(tcp)),
                        address(frame, 30), Short.toUnsignedInt(frame.getShort(tcp + 2)),
                        flags == 0x02 ? "SYN" : flags == 0x12 ? "SYN-ACK" : Integer.toHexString(flags)));
            }
            return segments;
        }

        private static String address(ByteBuffer frame, int at) {
            return (frame.get(at) & 0xff) + "." + (frame.get(at + 1) & 0xff) + "." + (frame.get(at + 2) & 0xff) + "."
                    + (frame.get(at + 3) & 0xff);
        }
    }
}
