package example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.HostSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Runs after the whole suite, in a JVM of its own: the host must hold exactly the links, namespaces,
 * nf_tables tables, routes and mounts it held before, and the suite's JVM must have left no thread in a
 * foreign namespace. Kernel reaping is asynchronous, so it waits a bounded time before it fails.
 */
class NothingLeftBehindTest {

    @Test
    void theHostIsAsItWasBeforeTheSuite() throws Exception {
        Path dir = Path.of(System.getProperty("isonet.leakcheck.dir"));
        HostSnapshot before = HostSnapshot.of(Files.readAllLines(dir.resolve(LeakCheckListener.BEFORE)));
        List<String> strandedThreads = Files.readAllLines(dir.resolve(LeakCheckListener.THREADS));

        assertThat(strandedThreads).as("threads the suite left in foreign namespaces").isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(HostSnapshot.take().leftSince(before))
                        .as("left behind on the host").isEmpty());
    }
}
