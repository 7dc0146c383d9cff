package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A suite run inside a network namespace of its own, with the machine's /proc still visible (as under
 * {@code unshare --net}, a service with a private network, or some CI runners): Isonet works there, and
 * {@link HostSnapshot} describes that namespace exactly, so a network built and closed there leaves nothing.
 */
@RequiresPrivileges
class NestedNamespaceTests {

    /** The child, in its own network namespace: snapshot, a network with a process, close, snapshot. */
    public static void main(String[] args) throws Exception {
        HostSnapshot before = HostSnapshot.take();
        System.out.println("BEFORE " + before.lines().stream().filter(l -> l.startsWith("link ")).toList());
        try (Network network = Network.builder().node("a", "b").build()) {
            network.node("a").start(new ProcessBuilder("sleep", "60"));
            System.out.println("DURING " + HostSnapshot.take().leftSince(before).size());
            network.close();
            network.reaped().get(20, TimeUnit.SECONDS);
        }
        List<String> left = HostSnapshot.take().leftSince(before);
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15); !left.isEmpty()
                && System.nanoTime() < deadline; left = HostSnapshot.take().leftSince(before)) {
            Thread.sleep(100);
        }
        System.out.println("LEFT " + left);
    }

    @Test
    @Timeout(90)
    void inANestedNetworkNamespaceTheSnapshotSeesThatNamespaceAndNothingIsLeft() throws Exception {
        Process child = new ProcessBuilder("unshare", "--net", "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), NestedNamespaceTests.class.getName())
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (var out = child.inputReader(StandardCharsets.UTF_8)) {
            out.lines().forEach(lines::add);
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(String.join("\n", lines)).isZero();
        assertThat(lines).as("a fresh namespace has only lo").contains("BEFORE [link lo]");
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("DURING ").isNotEqualTo("DURING 0"));
        assertThat(lines).contains("LEFT []");
    }
}
