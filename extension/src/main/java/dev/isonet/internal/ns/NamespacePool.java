package dev.isonet.internal.ns;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A cached pool of threads inside one namespace. A task is handed straight to an idle worker, or a new worker
 * is started for it; nothing ever waits in a queue, so closing leaves no task behind that could be forgotten.
 * Closing refuses new tasks, interrupts the workers and lets them end.
 */
final class NamespacePool {
    /** A worker that is just finishing its previous task is worth waiting for: starting a thread costs ~70 µs. */
    private static final long HAND_OFF_MICROS = 200;
    private static final long IDLE_SECONDS = 30;

    private final String owner;
    private final NamespaceThreads threads;
    private final LinkedTransferQueue<Runnable> handOff = new LinkedTransferQueue<>();
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    NamespacePool(String owner, NamespaceThreads threads) {
        this.owner = owner;
        this.threads = threads;
    }

    void execute(Runnable task) {
        if (closed) {
            throw new RejectedExecutionException(owner + " is closed");
        }
        try {
            if (handOff.tryTransfer(task, HAND_OFF_MICROS, TimeUnit.MICROSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("interrupted while handing a task to " + owner, e);
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
                task = handOff.poll(IDLE_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            // closed while idle
        } finally {
            workers.remove(Thread.currentThread());
        }
    }

    /** The worker could not enter the namespace (it was closed meanwhile): its task never runs. */
    private void refused(Runnable task) {
        workers.remove(Thread.currentThread());
        if (task instanceof Future<?> future) {
            future.cancel(false);
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Refuses new tasks and interrupts every worker; tasks that ignore interrupts run on until they return. */
    void close() {
        closed = true;
        for (Thread worker : workers) {
            worker.interrupt();
        }
        // A worker that polled just before `closed` was set is woken by the interrupt above.
    }

    Set<Thread> workers() {
        return Set.copyOf(workers);
    }
}
