package example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.isonet.Command;
import dev.isonet.Node;
import dev.isonet.NodeProcess;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Python's http.server in one node; curl in another fetches http://web:8080/, and so does the JDK's HttpClient. */
@IsolatedNetwork
@Timeout(60)
class WebServerTests {
    @Container
    Node web;
    @Container
    Node client;

    NodeProcess server;

    @BeforeEach
    void serve(@TempDir Path site) throws Exception {
        Files.writeString(site.resolve("index.html"), "hello from web\n");
        // Debian's python3, whatever python3 comes first on PATH; -u: log lines unbuffered
        server = web.start(Command.of("/usr/bin/python3", "-u", "-m", "http.server", "8080").directory(site));
        web.awaitListening(8080);
    }

    @Test
    void curlInAnotherNodeFetchesThePageByName() throws Exception {
        String page = client.exec("curl", "--noproxy", "*", "-fsS", "http://web:8080/").stdout();

        assertThat(page).isEqualTo("hello from web\n");
        assertThat(server.awaitLog("\"GET / HTTP/1.1\" 200", Duration.ofSeconds(5)).text())
                .startsWith(client.ipv4().getHostAddress());
    }

    @Test
    void theJdkHttpClientOnTheTestThreadFetchesThePageByName() throws Exception {
        assumeTrue(Runtime.version().feature() >= 18, "JDK 17 has no resolver SPI: the test thread cannot resolve"
                + " 'web' by name there (node threads can; or use network.address(\"web\"))");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://web:8080/")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello from web\n");
    }
}
