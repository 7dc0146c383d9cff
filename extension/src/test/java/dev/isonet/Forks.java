package dev.isonet;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread that starts {@code /bin/true} over and over (at most 50,000 times) until closed. Each fork holds a
 * copy of every descriptor of the JVM until the child execs: what the kernel ties to a descriptor's last close
 * then outlives its close by a moment.
 */
public final class Forks implements AutoCloseable {
    private static final int MAX = 50_000;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger count = new AtomicInteger();
    private final List<Exception> failures = new CopyOnWriteArrayList<>();
    private final Thread thread = new Thread(this::run, "forks");

    private Forks() {}

    public static Forks start() {
        Forks forks = new Forks();
        forks.thread.start();
        return forks;
    }

    private void run() {
        while (!stop.get() && count.get() < MAX) {
            try {
                new ProcessBuilder("/bin/true").start().waitFor();
                count.incrementAndGet();
            } catch (Exception e) {
                failures.add(e);
                return;
            }
        }
    }

    /** How many processes ran to their end. */
    public int count() {
        return count.get();
    }

    /** Why starting a process failed, if it did (the thread then stopped). */
    public List<Exception> failures() {
        return failures;
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(10_000);
    }
}
