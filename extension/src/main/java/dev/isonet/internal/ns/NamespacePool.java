package dev.isonet.internal.ns;

import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A cached pool of threads inside one namespace. A task goes straight to an idle worker, or to a new worker
 * started for it; nothing ever waits in a queue, so closing leaves no task behind that could be forgotten.
 * Closing refuses new tasks, wakes idle workers so they end, and interrupts busy ones.
 *
 * <p>Hand-off is a slot per idle worker rather than a LinkedTransferQueue: on JDK 17 a timed
 * {@code tryTransfer} was seen to spin for seconds instead of timing out.
 */
final class NamespacePool {
    /** A worker that is just finishing its previous task is worth waiting for: starting a thread costs ~70 µs. */
    private static final long WAIT_FOR_IDLE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final String owner;
    private final NamespaceThreads threads;
    /** Idle workers, most recently idle first (its caches are warm). */
    private final Deque<Slot> idle = new ConcurrentLinkedDeque<>();
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Where an idle worker waits for its next task. */
    private static final class Slot {
        final Thread worker = Thread.currentThread();
        volatile Runnable task;
    }

    NamespacePool(String owner, NamespaceThreads threads) {
        this.owner = owner;
        this.threads = threads;
    }

    void execute(Runnable task) {
        if (closed) {
            throw new RejectedExecutionException(owner + " is closed");
        }
        long deadline = System.nanoTime() + WAIT_FOR_IDLE_NANOS;
        while (true) {
            Slot slot = idle.pollFirst();
            if (slot != null) {
                slot.task = task;
                LockSupport.unpark(slot.worker);
                return;
            }
            if (workers.isEmpty() || System.nanoTime() >= deadline) {
                break;
            }
            Thread.onSpinWait();
        }
        Thread worker;
        try {
            worker = threads.newThread(() -> work(task), () -> refused(task));
        } catch (IllegalStateException e) {
            throw new RejectedExecutionException(e.getMessage(), e);
        }
        workers.add(worker);
        worker.start();
    }

    private void work(Runnable first) {
        try {
            Runnable task = first;
            while (task != null) {
                Thread.interrupted(); // an interrupt meant for the previous task must not hit the next one
                if (closed) {
                    refused(task);
                    return;
                }
                task.run();
                task = nextTask();
            }
        } finally {
            workers.remove(Thread.currentThread());
        }
    }

    /** Waits idle for a task; null once idle too long or closed, and no task was handed over meanwhile. */
    private Runnable nextTask() {
        Slot slot = new Slot();
        idle.addFirst(slot);
        long deadline = System.nanoTime() + IDLE_NANOS;
        while (slot.task == null && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Thread.interrupted(); // a stray interrupt (a late cancel) would make park return at once, forever
            LockSupport.parkNanos(this, left);
        }
        if (slot.task == null && idle.remove(slot)) {
            return null; // nobody took this slot, and nobody can now
        }
        // Someone took the slot: its task is being set, if it is not already.
        while (slot.task == null) {
            Thread.onSpinWait();
        }
        return slot.task;
    }

    /** The worker could not enter the namespace, or found it closed: its task never runs. */
    private void refused(Runnable task) {
        workers.remove(Thread.currentThread());
        if (task instanceof Future<?> future) {
            future.cancel(false);
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Refuses new tasks, ends idle workers and interrupts busy ones; tasks that ignore interrupts run on. */
    void close() {
        closed = true;
        for (Thread worker : workers) {
            worker.interrupt();
            LockSupport.unpark(worker);
        }
    }

    Set<Thread> workers() {
        return Set.copyOf(workers);
    }
}
