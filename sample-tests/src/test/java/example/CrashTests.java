package example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.JvmCommand;
import dev.isonet.Node;
import dev.isonet.NodeProcess;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A server in a JVM of its own, in a node: SIGKILL crashes it, and a connected client sees the crash. */
@IsolatedNetwork
@Timeout(120)
class CrashTests {
    @Container
    Node server;
    @Container
    Node client;

    /** The server: a counter that answers each line with the next number. Runs in the child JVM. */
    public static final class CounterServer {
        public static void main(String[] args) throws IOException {
            try (ServerSocket listener = new ServerSocket(Integer.parseInt(args[0]))) {
                System.out.println("counter listening on " + args[0]);
                int count = 0;
                while (true) {
                    try (Socket peer = listener.accept();
                         BufferedReader in = new BufferedReader(new InputStreamReader(peer.getInputStream(),
                                 StandardCharsets.UTF_8));
                         PrintWriter out = new PrintWriter(peer.getOutputStream(), true)) {
                        while (in.readLine() != null) {
                            out.println(++count);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aClientSeesTheServerJvmCrash() throws Exception {
        NodeProcess jvm = server.startJvm(JvmCommand.main(CounterServer.class).args("7000")
                .jvmOptions("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        jvm.awaitLog("counter listening", Duration.ofSeconds(60));

        String outcome = client.run(() -> {
            try (Socket socket = new Socket("server", 7000)) {
                socket.setSoTimeout(10_000);
                PrintWriter out = new PrintWriter(socket.getOutputStream(), true);
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                out.println("next");
                String first = in.readLine();

                jvm.kill(); // SIGKILL: no shutdown hook, no FIN from the application, as in a crash
                assertThat(jvm.waitFor()).isEqualTo(137);
                try {
                    out.println("next");
                    String after = in.readLine();
                    return first + ", then " + (after == null ? "end of stream" : after);
                } catch (SocketException e) {
                    return first + ", then " + e.getMessage();
                }
            }
        });

        assertThat(outcome).matches("1, then (end of stream|Connection reset)");
    }
}
