package dev.isonet.internal.ns;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A namespace's pool as users see it: they submit work, and the namespace decides when it ends. After close it
 * refuses work with a RejectedExecutionException that says so.
 */
final class NamespaceExecutor extends AbstractExecutorService {
    private final String owner;
    private final NamespacePool pool;

    NamespaceExecutor(String owner, NamespacePool pool) {
        this.owner = owner;
        this.pool = pool;
    }

    @Override
    public void execute(Runnable command) {
        pool.execute(command);
    }

    @Override
    public void shutdown() {
        throw new UnsupportedOperationException(owner + " shuts its executor down when it closes");
    }

    @Override
    public List<Runnable> shutdownNow() {
        throw new UnsupportedOperationException(owner + " shuts its executor down when it closes");
    }

    @Override
    public boolean isShutdown() {
        return pool.isClosed();
    }

    @Override
    public boolean isTerminated() {
        return pool.isClosed() && pool.workers().isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!isTerminated()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }
}
