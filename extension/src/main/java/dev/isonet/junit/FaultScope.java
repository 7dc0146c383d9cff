package dev.isonet.junit;

import dev.isonet.Fault;
import dev.isonet.Network;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Faults made during a test are healed after it, so that the next test of a class-scoped network (static
 * nodes) starts healthy. Before each test the faults already active on the class's network are noted; after
 * it (after the test's {@code @AfterEach} methods), every other active fault is healed, newest first.
 * Faults made in {@code @BeforeAll} stay for the class. A network of the test's own is closed after the test,
 * which takes its faults with it.
 */
final class FaultScope {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FaultScope.class);
    private static final String MARK = "faults-before";

    private record Mark(Network network, Set<Fault> before) {}

    private FaultScope() {}

    /** Notes the faults active on {@code shared}, the network the test inherits from its class (or none). */
    static void mark(ExtensionContext context, Network shared) {
        if (shared == null) {
            return;
        }
        Set<Fault> before = Collections.newSetFromMap(new IdentityHashMap<>());
        before.addAll(shared.faults());
        context.getStore(NAMESPACE).put(MARK, new Mark(shared, before));
    }

    /** Heals the faults made on the class's network since {@link #mark}. */
    static void healNew(ExtensionContext context) {
        Mark mark = context.getStore(NAMESPACE).remove(MARK, Mark.class);
        if (mark == null) {
            return;
        }
        List<Fault> active = mark.network().faults();
        for (int i = active.size() - 1; i >= 0; i--) {
            if (!mark.before().contains(active.get(i))) {
                active.get(i).heal();
            }
        }
    }
}
