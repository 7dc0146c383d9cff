package dev.isonet.internal.ns;

import java.lang.System.Logger.Level;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Platform threads that live inside one namespace: each enters it before it runs anything, and never leaves.
 * Threads they start inherit the namespaces (the kernel copies them on clone).
 *
 * <p>A thread enters through {@link Namespace#enter}, which holds the namespace's lock while it calls setns:
 * closing takes the same lock before it releases the fds, so no thread can ever call setns on an fd number
 * that was closed (and perhaps reused for something else).
 */
final class NamespaceThreads implements ThreadFactory {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    private final Namespace namespace;
    private final AtomicInteger count = new AtomicInteger();

    NamespaceThreads(Namespace namespace) {
        this.namespace = namespace;
    }

    /** A new thread inside the namespace; fails if it is closed. A thread started after close never runs its task. */
    @Override
    public Thread newThread(Runnable task) {
        return newThread(task, () -> LOG.log(Level.WARNING, "a thread of " + namespace.name() + " was started after"
                + " it closed; its task did not run"));
    }

    Thread newThread(Runnable task, Runnable ifClosed) {
        namespace.ensureOpen();
        namespace.prepare();
        Thread thread = new Thread(() -> {
            if (namespace.enter()) {
                task.run();
            } else {
                ifClosed.run();
            }
        }, "isonet-" + namespace.name() + "-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
