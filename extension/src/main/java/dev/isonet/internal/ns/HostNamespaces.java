package dev.isonet.internal.ns;

import dev.isonet.internal.linux.LibC;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JVM's own ("host") namespaces, and the dedicated threads that create new namespaces. Such a thread
 * unshares, does its work inside, and returns to the host namespaces before it takes the next job; if it
 * cannot return, it dies rather than serve again from a foreign namespace.
 */
public final class HostNamespaces {
    /** The main thread's namespaces: the ones the JVM started in. */
    private static final int NET_FD = LibC.open("/proc/self/ns/net", LibC.O_RDONLY | LibC.O_CLOEXEC);
    private static final int UTS_FD = LibC.open("/proc/self/ns/uts", LibC.O_RDONLY | LibC.O_CLOEXEC);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadPoolExecutor CREATORS = new ThreadPoolExecutor(
            // Threads are born wherever their creator was: each enters the host namespaces first.
            2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            job -> newHostThread("isonet-namespaces-" + THREADS.incrementAndGet(), job));
    /** One thread for work ahead of need, so that it never delays a caller who waits. */
    private static final ThreadPoolExecutor BACKGROUND = new ThreadPoolExecutor(
            1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            job -> newHostThread("isonet-spares", job));

    /** Host threads that wait on processes and read their output: as many as there are processes. */
    private static final ThreadPoolExecutor IO = new ThreadPoolExecutor(
            0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(),
            job -> newHostThread("isonet-io-" + THREADS.incrementAndGet(), job));

    static {
        CREATORS.allowCoreThreadTimeOut(true);
        BACKGROUND.allowCoreThreadTimeOut(true);
    }

    private HostNamespaces() {}

    /** Runs {@code job} on the background host thread that also makes spares: work nobody waits for. */
    public static void background(Runnable job) {
        BACKGROUND.execute(job);
    }

    /** Runs {@code job} on a host thread of its own (pooled), for blocking reads of process output. */
    public static void io(Runnable job) {
        IO.execute(job);
    }

    public static int netFd() {
        return NET_FD;
    }

    /** The path by which another process can open the host network namespace. */
    static String fdPath(int fd) {
        return "/proc/" + ProcessHandle.current().pid() + "/fd/" + fd;
    }

    /** Back into the JVM's own namespaces; a no-op for a thread that never left (needed without privileges). */
    static void enterHost() {
        if (!ThreadsInNamespaces.inHostNamespaces()) {
            LibC.setns(NET_FD, LibC.CLONE_NEWNET, "host network namespace");
            LibC.setns(UTS_FD, LibC.CLONE_NEWUTS, "host UTS namespace");
        }
    }

    /**
     * Runs {@code job} on a dedicated thread that is in the host namespaces. Use it for anything that must
     * act on the host (sockets, abstract locks, sysctls) whatever thread the caller is on.
     */
    public static <T> T onHostThread(Callable<T> job) {
        return await(submit(() -> job.call()));
    }

    /**
     * Runs {@code job} on a new thread in the host namespaces and waits. For one-time initialisation, which
     * may itself happen on a pooled creator thread and so must not wait for that pool.
     */
    public static <T> T onNewHostThread(Callable<T> job) {
        CompletableFuture<T> result = new CompletableFuture<>();
        newHostThread("isonet-init", () -> {
            try {
                result.complete(job.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }).start();
        return await(result);
    }

    /**
     * Creates a network namespace (and a UTS namespace with {@code hostname}, unless it is null), runs
     * {@code inside} on the creating thread while it is in them, then brings the thread back to the host.
     */
    public static <T> T create(String hostname, Inside<T> inside) {
        return await(creating(hostname, inside));
    }

    /** Like {@link #create}, without waiting: the caller collects the result when it needs it. */
    public static <T> CompletableFuture<T> creating(String hostname, Inside<T> inside) {
        return submit(CREATORS, creation(hostname, inside));
    }

    /** Like {@link #create}, without waiting, on a background thread: for namespaces made ahead of need. */
    public static <T> CompletableFuture<T> createAsync(String hostname, Inside<T> inside) {
        return submit(BACKGROUND, creation(hostname, inside));
    }

    private static <T> Callable<T> creation(String hostname, Inside<T> inside) {
        return () -> {
            int flags = LibC.CLONE_NEWNET | (hostname != null ? LibC.CLONE_NEWUTS : 0);
            LibC.unshare(flags, "new namespace for " + (hostname != null ? hostname : "router"));
            int net = -1;
            int uts = -1;
            try {
                net = LibC.open("/proc/thread-self/ns/net", LibC.O_RDONLY | LibC.O_CLOEXEC);
                if (hostname != null) {
                    uts = LibC.open("/proc/thread-self/ns/uts", LibC.O_RDONLY | LibC.O_CLOEXEC);
                    LibC.sethostname(hostname);
                }
                return inside.run(new NamespaceFds(net, uts));
            } catch (Throwable e) {
                LibC.close(net);
                LibC.close(uts);
                throw e;
            }
        };
    }

    /**
     * Runs {@code job} on a creator thread that enters the network namespace {@code netFd} for it, then returns
     * to the host: for sockets that must belong to that namespace (they stay there, whoever uses them later).
     */
    public static <T> T inNetwork(int netFd, String what, Callable<T> job) {
        return await(submit(() -> {
            LibC.setns(netFd, LibC.CLONE_NEWNET, "network namespace of " + what);
            return job.call(); // submit() brings the thread back to the host namespaces
        }));
    }

    /** Sets the hostname of an existing UTS namespace, from a creator thread that enters it briefly. */
    public static CompletableFuture<Void> setHostname(NamespaceFds fds, String hostname) {
        return submit(() -> {
            LibC.setns(fds.uts(), LibC.CLONE_NEWUTS, "UTS namespace of " + hostname);
            LibC.sethostname(hostname);
            return null; // submit() brings the thread back to the host namespaces
        });
    }

    /** Work done inside freshly created namespaces; it owns the fds once it returns normally. */
    @FunctionalInterface
    public interface Inside<T> {
        T run(NamespaceFds fds) throws Exception;
    }

    private static <T> CompletableFuture<T> submit(Callable<T> job) {
        return submit(CREATORS, job);
    }

    private static <T> CompletableFuture<T> submit(ThreadPoolExecutor threads, Callable<T> job) {
        CompletableFuture<T> result = new CompletableFuture<>();
        threads.execute(() -> {
            T value = null;
            Throwable failure = null;
            try {
                value = job.call();
            } catch (Throwable e) {
                failure = e;
            }
            try {
                enterHost();
            } catch (RuntimeException e) {
                result.completeExceptionally(failure != null ? failure : e);
                // Never serve again from a foreign namespace: let this thread die.
                throw new IllegalStateException("isonet: could not return to the host namespaces", e);
            }
            // Completed only back in the host: callbacks run on this thread and may start threads.
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(value);
            }
        });
        return result;
    }

    /** A daemon platform thread that enters the host namespaces before it runs {@code task}. */
    public static Thread newHostThread(String name, Runnable task) {
        Thread thread = new Thread(() -> {
            enterHost();
            task.run();
        }, name);
        thread.setDaemon(true);
        return thread;
    }

    private static <T> T await(CompletableFuture<T> future) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
