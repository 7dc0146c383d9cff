package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isonet.internal.topology.Subnet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** No two live networks overlap, whatever their prefix lengths, across threads and JVMs. */
@RequiresPrivileges
class LeaseOverlapTests {
    private static final int ROUNDS = Integer.getInteger("isonet.test.rounds", 200) / 4;

    @Test
    @Timeout(60)
    void aFixedSubnetOverlappingALiveOneIsRefusedWhateverItsPrefix() {
        try (Network held = Network.builder().subnet("10.218.6.0/23").nat(false).build()) {
            assertThatThrownBy(() -> Network.builder().subnet("10.218.7.0/24").nat(false).build())
                    .hasMessageContaining("subnet 10.218.7.0/24 overlaps 10.218.6.0/23, held by a live Isonet network");
            assertThatThrownBy(() -> Network.builder().subnet("10.218.6.128/25").nat(false).build())
                    .hasMessageContaining("subnet 10.218.6.128/25 overlaps 10.218.6.0/23");
            assertThatThrownBy(() -> Network.builder().subnet("10.218.4.0/22").nat(false).build())
                    .hasMessageContaining("subnet 10.218.4.0/22 overlaps 10.218.6.0/23");
            try (Network beside = Network.builder().subnet("10.218.8.0/24").nat(false).build()) {
                assertThat(beside.subnet()).isEqualTo("10.218.8.0/24");
            }
        }
    }

    @Test
    @Timeout(120)
    void threadsBuildingWithDifferentPrefixLengthsNeverOverlap() throws Exception {
        List<Subnet> live = new ArrayList<>();
        List<String> overlaps = new CopyOnWriteArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> results = new ArrayList<>();
        for (int prefix : new int[] {24, 23, 25}) {
            results.add(threads.submit(() -> {
                start.await();
                for (int i = 0; i < ROUNDS; i++) {
                    try (Network network = Network.builder().pool("10.218.32.0/21").prefixLength(prefix)
                            .nat(false).node("a").build()) {
                        Subnet mine = Subnet.parseNetwork(network.subnet());
                        synchronized (live) {
                            for (Subnet other : live) {
                                if (other.overlaps(mine)) {
                                    overlaps.add(mine + " overlaps " + other);
                                }
                            }
                            live.add(mine);
                        }
                        Thread.sleep(1);
                        synchronized (live) {
                            live.remove(mine);
                        }
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> result : results) {
            result.get(110, TimeUnit.SECONDS); // a build that failed (EEXIST, pool exhausted) fails here
        }
        threads.shutdown();
        assertThat(overlaps).isEmpty();
    }

    /**
     * The child holds the subnet {@code args[0]} until its stdin closes; with a second argument {@code closed} it
     * closes its network first, so that only its router, kept for reuse, holds the subnet.
     */
    public static void main(String[] args) throws Exception {
        try (Network network = Network.builder().subnet(args[0]).nat(false).build()) {
            if (args.length > 1) {
                network.close();
            }
            System.out.println("READY " + network.subnet());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the parent closes our stdin
            }
        }
    }

    private static Process child(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), LeaseOverlapTests.class.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        while (line != null && !line.startsWith("READY")) {
            line = out.readLine();
        }
        assertThat(line).isEqualTo("READY " + args[0]);
        return child;
    }

    private static void end(Process child) throws Exception {
        child.getOutputStream().close();
        if (!child.waitFor(20, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(60)
    void aFixedSubnetThatAnotherJvmsKeptRouterHoldsIsWaitedFor() throws Exception {
        Process child = child("10.218.72.0/24", "closed");
        try {
            // Its router lingers up to 2 s for that JVM's next network, then goes: the build waits for that.
            try (Network network = Network.builder().subnet("10.218.72.0/24").nat(false).node("a").build()) {
                assertThat(network.subnet()).isEqualTo("10.218.72.0/24");
            }
        } finally {
            end(child);
        }
    }

    @Test
    @Timeout(60)
    void anotherJvmsLeaseExcludesOverlappingSubnets() throws Exception {
        Process child = child("10.218.64.0/23");
        try {
            assertThatThrownBy(() -> Network.builder().subnet("10.218.65.0/24").nat(false).build())
                    .hasMessageContaining("overlaps 10.218.64.0/23, held by a live Isonet network of another process");
            try (Network fromPool = Network.builder().pool("10.218.64.0/22").prefixLength(24).nat(false).build()) {
                assertThat(fromPool.subnet()).isEqualTo("10.218.66.0/24");
            }
        } finally {
            end(child);
        }
    }

    @Test
    @Timeout(60)
    void aPoolWhoseSubnetsAreStillBeingReapedWaitsInsteadOfFailing() {
        for (int i = 0; i < 10; i++) {
            Network first = Network.builder().pool("10.218.70.0/23").prefixLength(24).nat(false).build();
            Network second = Network.builder().pool("10.218.70.0/23").prefixLength(24).nat(false).build();
            first.close();
            // Both subnets are leased until the kernel has reaped the first network: this waits for that.
            try (Network third = Network.builder().pool("10.218.70.0/23").prefixLength(24).nat(false).build()) {
                assertThat(third.subnet()).isEqualTo(first.subnet());
            } finally {
                second.close();
            }
        }
    }
}
