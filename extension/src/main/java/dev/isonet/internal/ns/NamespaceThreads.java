package dev.isonet.internal.ns;

import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Platform threads that live inside one node's namespaces: each enters them before it runs anything, and
 * never leaves. Threads they start inherit the namespaces (the kernel copies them on clone).
 */
final class NamespaceThreads implements ThreadFactory {
    private final String owner;
    private final NamespaceFds fds;
    private final AtomicInteger count = new AtomicInteger();

    NamespaceThreads(String owner, NamespaceFds fds) {
        this.owner = owner;
        this.fds = fds;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(() -> {
            fds.enter(owner);
            task.run();
        }, "isonet-" + owner + "-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }

    /** A cached pool of such threads: idle ones are reused, so a warm {@code run()} costs one hand-off. */
    ThreadPoolExecutor newPool() {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new HandOff(), this);
    }

    /**
     * Like a SynchronousQueue, but a task waits a moment for a worker that is just finishing its previous
     * one: with SynchronousQueue, back-to-back calls usually found none and started a thread each (~70 µs).
     */
    private static final class HandOff extends LinkedTransferQueue<Runnable> {
        private static final long WAIT_MICROS = 200;

        @Override
        public boolean offer(Runnable task) {
            try {
                return tryTransfer(task, WAIT_MICROS, TimeUnit.MICROSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
