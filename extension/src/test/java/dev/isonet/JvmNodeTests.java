package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A child JVM in a node: the test's class path, main class, arguments, system properties and options; its
 * own PID namespace, interfaces and statics; SIGKILL crashes it and its peers see the crash.
 */
@RequiresPrivileges
@Timeout(120)
class JvmNodeTests {

    /** The child: says what it sees, then echoes bytes on a port until killed. */
    public static final class EchoServer {
        public static void main(String[] args) throws Exception {
            System.out.println("pid " + ProcessHandle.current().pid());
            System.out.println("interfaces " + Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .map(NetworkInterface::getName).sorted().toList());
            System.out.println("greeting " + System.getProperty("greeting"));
            System.err.println("args " + String.join(",", args));
            try (ServerSocket listener = new ServerSocket(Integer.parseInt(args[0]))) {
                System.out.println("listening");
                while (true) {
                    Socket peer = listener.accept();
                    new Thread(() -> echo(peer)).start();
                }
            }
        }

        private static void echo(Socket peer) {
            try (peer; InputStream in = peer.getInputStream(); OutputStream out = peer.getOutputStream()) {
                in.transferTo(out);
            } catch (Exception e) {
                // peer gone
            }
        }
    }

    /** Says hello, with its hostname: its getLocalHost() is its node's. */
    public static final class Hello {
        public static void main(String[] args) throws Exception {
            System.out.println("hello from " + java.net.InetAddress.getLocalHost().getHostName());
        }
    }

    @Test
    void aManifestOnlyJarAsTheClassPathWorksBecauseTheNodeSeesTheHostsFiles() throws Exception {
        String booter = System.getProperty("surefire.real.class.path"); // surefire's jar that only has a manifest
        org.junit.jupiter.api.Assumptions.assumeTrue(booter != null && booter.endsWith(".jar"),
                "not run by surefire with a manifest-only jar");
        try (Network network = Network.builder().nat(false).node("jar").build()) {
            NodeProcess hello = network.node("jar").startJvm(JvmCommand.main(Hello.class).classPath(booter)
                    .jvmOptions("-XX:TieredStopAtLevel=1"));
            assertThat(hello.waitFor()).as(hello.output()).isZero();
            assertThat(hello.output()).isEqualTo("hello from jar\n");
        }
    }

    @Test
    void aChildJvmRunsInTheNodeWithItsOwnViewAndASigkillCrashesIt() throws Exception {
        try (Network network = Network.builder().nat(false).node("jvm", "peer").build()) {
            Node jvm = network.node("jvm");
            Node peer = network.node("peer");
            long start = System.nanoTime();
            NodeProcess server = jvm.startJvm(JvmCommand.main(EchoServer.class).args("7300", "x")
                    .systemProperty("greeting", "hello").jvmOptions("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));

            server.awaitLog("listening", Duration.ofSeconds(60));
            System.out.printf("child JVM listening after %d ms%n", (System.nanoTime() - start) / 1_000_000);
            assertThat(server.output()).contains("interfaces [eth0, lo]\n").contains("greeting hello\n");
            assertThat(server.logs(LogLine.Stream.STDERR)).extracting(LogLine::text).containsExactly("args 7300,x");
            long pidInside = Long.parseLong(server.awaitLog("^pid ", Duration.ofSeconds(1)).text().substring(4));
            assertThat(pidInside).as("its own PID namespace").isLessThan(100).isNotEqualTo(server.pid());

            try (Socket socket = peer.run(() -> {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(jvm.ipv4(), 7300), 5_000);
                s.setSoTimeout(10_000);
                return s;
            })) {
                socket.getOutputStream().write(42);
                assertThat(socket.getInputStream().read()).isEqualTo(42);

                server.kill();
                assertThat(server.waitFor()).isEqualTo(137);
                int after;
                try {
                    after = socket.getInputStream().read();
                } catch (java.net.SocketException reset) {
                    after = -2;
                }
                assertThat(after).as("the peer sees the crash: end of stream or reset").isIn(-1, -2);
            }
        }
    }
}
