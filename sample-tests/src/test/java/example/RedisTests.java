package example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.isonet.Command;
import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.NodeProcess;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Debian's redis-server in one node; clients reach it as {@code redis:6379} by name: a small RESP client on a
 * thread in another node, redis-cli in another node, and the test's own thread.
 */
@IsolatedNetwork
@Timeout(60)
class RedisTests {
    @Container
    Node redis;
    @Container
    Node app;

    NodeProcess server;

// README: redis
    @BeforeEach
    void startRedis() throws Exception {
        server = redis.start(Command.of("redis-server", "--port", "6379", "--save", "", "--appendonly", "no",
                "--protected-mode", "no"));
        redis.awaitListening(6379); // polls the node's sockets (sock_diag), no connection attempt
        server.awaitLog("Ready to accept connections", Duration.ofSeconds(10));
    }

    @Test
    void anotherNodeReachesRedisByName() throws Exception {
        String reply = app.run(() -> {
            try (Socket socket = new Socket("redis", 6379)) { // resolved inside the node: its /etc/hosts
                return Resp.call(socket, "SET", "greeting", "hello");
            }
        });
        String fromCli = app.exec("redis-cli", "-h", "redis", "GET", "greeting").stdout().strip();

        assertThat(reply).isEqualTo("+OK");
        assertThat(fromCli).isEqualTo("hello");
    }
// README: end

    @Test
    void theTestThreadReachesRedisThroughTheNetworksAddressOnAnyJdk(Network network) throws Exception {
        try (Socket socket = new Socket(network.address("redis"), 6379)) {
            assertThat(Resp.call(socket, "PING")).isEqualTo("+PONG");
        }
    }

    @Test
    void theTestThreadReachesRedisByNameOnJdk18AndLater() throws Exception {
        assumeTrue(Runtime.version().feature() >= 18,
                "JDK 17 has no resolver SPI: host threads use network.address(\"redis\")");
        try (Socket socket = new Socket("redis", 6379)) { // Isonet's InetAddressResolverProvider
            assertThat(Resp.call(socket, "PING")).isEqualTo("+PONG");
        }
    }

    @Test
    void stoppingRedisLetsItShutDownCleanly() {
        assertThat(server.stop(Duration.ofSeconds(10))).as("redis exits 0 on SIGTERM").isZero();
        assertThat(server.output()).contains("Received SIGTERM scheduling shutdown");
    }

    /** Just enough of the Redis protocol (RESP) for a test: sends a command, returns the first reply line. */
    static final class Resp {
        static String call(Socket socket, String... args) throws IOException {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
            for (String arg : args) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg)
                        .append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }
}
