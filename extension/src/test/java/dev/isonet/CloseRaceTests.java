package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closing a node while other threads use it: every caller returns (with the task's result or with
 * NodeClosedException), nothing blocks, nothing is thrown raw from JDK pool internals, no thread dies
 * uncaught, and no process outlives close(). Rounds: isonet.test.rounds (200 by default, enough to catch
 * an event of 2% with 98% probability).
 */
@RequiresPrivileges
class CloseRaceTests {
    private static final int ROUNDS = Integer.getInteger("isonet.test.rounds", 200);
    private static final List<Throwable> UNCAUGHT = new CopyOnWriteArrayList<>();
    private static Thread.UncaughtExceptionHandler previous;
    private static Network network;

    @BeforeAll
    static void watchUncaughtExceptions() {
        previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> UNCAUGHT.add(e));
        network = Network.builder().subnet("10.218.96.0/22").nat(false).build();
    }

    @AfterAll
    static void restore() {
        network.close();
        Thread.setDefaultUncaughtExceptionHandler(previous);
    }

    @Test
    @Timeout(120)
    void runRacingCloseAlwaysReturnsAndSaysTheNodeClosed() throws Exception {
        List<String> odd = new CopyOnWriteArrayList<>();
        java.util.Random random = new java.util.Random(42);
        java.util.concurrent.ExecutorService callerThreads = java.util.concurrent.Executors.newCachedThreadPool();
        for (int i = 0; i < ROUNDS; i++) {
            Node node = network.addNode("r" + i);
            int round = i;
            List<CompletableFuture<Void>> callers = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                // Each caller keeps calling until the node refuses: close lands at every point of a call.
                callers.add(CompletableFuture.runAsync(() -> {
                    while (true) {
                        try {
                            node.run(() -> Thread.currentThread().getName());
                        } catch (NodeClosedException e) {
                            return;
                        } catch (Throwable e) {
                            odd.add("round " + round + ": " + e);
                            return;
                        }
                    }
                }, callerThreads));
            }
            TimeUnit.MICROSECONDS.sleep(random.nextInt(2000));
            node.close();
            for (CompletableFuture<Void> caller : callers) {
                try {
                    caller.get(5, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    odd.add("round " + i + ": a run() caller was still blocked 5 s after close");
                }
            }
        }
        callerThreads.shutdown();
        assertThat(odd).isEmpty();
        assertThat(UNCAUGHT).isEmpty();
    }

    @Test
    @Timeout(120)
    void startRacingCloseLeavesNoProcessRunning() throws Exception {
        List<String> survivors = new ArrayList<>();
        int rounds = Math.max(20, ROUNDS / 4); // each start costs a few ms
        for (int i = 0; i < rounds; i++) {
            Node node = network.addNode("s" + i);
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Object> starter = CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                    return node.start(new ProcessBuilder("sleep", "300"));
                } catch (Throwable e) {
                    return e;
                }
            });
            go.countDown();
            Thread.sleep(i % 5);
            node.close();
            Object outcome = starter.get(10, TimeUnit.SECONDS);
            if (outcome instanceof NodeProcess process) {
                if (process.isAlive()) {
                    survivors.add("round " + i + ": pid " + process.pid() + " alive after close() returned");
                    process.process().descendants().forEach(ProcessHandle::destroyForcibly);
                    process.kill();
                }
            } else if (!(outcome instanceof NodeClosedException)) {
                survivors.add("round " + i + ": " + outcome);
            }
        }
        assertThat(survivors).isEmpty();
    }

    @Test
    @Timeout(30)
    void aCallerBlockedInsideIsReleasedByClose() throws Exception {
        Node node = network.addNode("blocked");
        ServerSocket listener = node.run(() -> new ServerSocket(9000));
        CompletableFuture<Object> caller = CompletableFuture.supplyAsync(() -> {
            try {
                return node.run(listener::accept);
            } catch (Throwable e) {
                return e;
            }
        });
        Thread.sleep(100);
        node.close();
        Object outcome = caller.get(5, TimeUnit.SECONDS);
        assertThat(outcome).isInstanceOf(NodeClosedException.class);
        assertThat(((Throwable) outcome)).hasMessage("node 'blocked' was closed while the task ran");
        // its socket was aborted, so the pool thread blocked in accept() returned and ended
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(node.threadsInside()).isEmpty());
        listener.close();
    }

    @Test
    @Timeout(30)
    void aHostThreadBlockedOnANodesSocketIsReleasedByClose() throws Exception {
        Node node = network.addNode("lent");
        ServerSocket listener = node.run(() -> new ServerSocket(9001)); // a node socket, used on the host
        CompletableFuture<Object> accepting = CompletableFuture.supplyAsync(() -> {
            try (listener) {
                return listener.accept();
            } catch (Throwable e) {
                return e;
            }
        });
        Thread.sleep(100);
        node.close();
        assertThat(accepting.get(5, TimeUnit.SECONDS)).isInstanceOf(java.io.IOException.class);
    }

    @Test
    @Timeout(30)
    void aClosedNodeRefusesWorkWithAnExceptionThatSaysSo() throws Exception {
        Node node = network.addNode("gone");
        ThreadFactory factory = node.threadFactory();
        var executor = node.executor();
        node.close();

        assertThatThrownBy(() -> node.run(() -> 1)).isInstanceOf(NodeClosedException.class)
                .hasMessage("node 'gone' is closed");
        assertThatThrownBy(() -> factory.newThread(() -> {})).isInstanceOf(NodeClosedException.class)
                .hasMessage("node 'gone' is closed");
        assertThatThrownBy(() -> executor.submit(() -> 1)).isInstanceOf(RejectedExecutionException.class)
                .hasMessage("node 'gone' is closed");
        assertThatThrownBy(node::threadFactory).isInstanceOf(NodeClosedException.class);
        assertThatThrownBy(node::executor).isInstanceOf(NodeClosedException.class);
        assertThatThrownBy(() -> node.exec("true")).isInstanceOf(NodeClosedException.class);
        assertThatThrownBy(() -> node.start(new ProcessBuilder("true"))).isInstanceOf(NodeClosedException.class);
        assertThat(executor.isShutdown()).isTrue();
    }

    @Test
    @Timeout(30)
    void aClosedNetworkSaysSo() {
        Network closed = Network.builder().subnet("10.218.100.0/24").nat(false).node("x").build();
        closed.close();
        assertThatThrownBy(() -> closed.node("x")).isInstanceOf(IllegalStateException.class)
                .hasMessage("network 10.218.100.0/24 is closed");
        assertThatThrownBy(() -> closed.addNode("y")).isInstanceOf(IllegalStateException.class)
                .hasMessage("network 10.218.100.0/24 is closed");
    }

    static Object unwrap(ExecutionException e) {
        return e.getCause();
    }
}
