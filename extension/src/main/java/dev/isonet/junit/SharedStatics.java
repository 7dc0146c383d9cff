package dev.isonet.junit;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A static {@code @Container} field is one JVM-wide slot, even when subclasses of its declaring class each
 * have their own network: two such classes running at once would overwrite each other's node. So a class whose
 * static nodes live in fields of class C waits until no other class using C's fields is running, and holds
 * C until its own class scope closes (after its network).
 */
final class SharedStatics {
    private static final Map<Class<?>, Semaphore> OWNERS = new ConcurrentHashMap<>();

    private SharedStatics() {}

    /** Takes the declaring classes of {@code statics}, in name order (no deadlock), until {@code context} closes. */
    static void lock(ExtensionContext context, List<Field> statics, ExtensionContext.Namespace namespace) {
        TreeSet<Class<?>> declaring = new TreeSet<>(Comparator.comparing(Class::getName));
        statics.forEach(field -> declaring.add(field.getDeclaringClass()));
        List<Semaphore> held = new ArrayList<>();
        try {
            for (Class<?> type : declaring) {
                Semaphore owner = OWNERS.computeIfAbsent(type, t -> new Semaphore(1));
                acquire(owner);
                held.add(owner);
            }
        } catch (InterruptedException e) {
            held.forEach(Semaphore::release);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for another class using the same static"
                    + " @Container fields", e);
        }
        // Stored first, so closed last: after the network that filled the fields.
        context.getStore(namespace).put(new Object(), new IsolatedNetworkExtension.Stored<AutoCloseable>(
                () -> held.forEach(Semaphore::release)));
    }

    /** Blocks in a way JUnit's fork-join executor can compensate for, so other classes keep running. */
    private static void acquire(Semaphore owner) throws InterruptedException {
        ForkJoinPool.managedBlock(new ForkJoinPool.ManagedBlocker() {
            private boolean acquired;

            @Override
            public boolean block() throws InterruptedException {
                owner.acquire();
                acquired = true;
                return true;
            }

            @Override
            public boolean isReleasable() {
                return acquired || (acquired = owner.tryAcquire());
            }
        });
    }
}
