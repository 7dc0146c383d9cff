package dev.isonet.junit;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Tells the session's warm-up whether the test plan has a networked test (a class, an enclosing class or a method
 * with {@link IsolatedNetwork}, also as a meta-annotation): only then does it build a network ahead, so that a
 * session without one never puts anything on the host. The JUnit Platform finds it through {@code ServiceLoader}.
 *
 * <p>Not for direct use: the JUnit Platform creates and calls it.
 */
public final class NetworkedTestPlan implements TestExecutionListener {
    /** Called by the JUnit Platform. */
    public NetworkedTestPlan() {}

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        if (networked(plan)) {
            IsonetSessionListener.planHasNetworks();
        }
    }

    static boolean networked(TestPlan plan) {
        Deque<TestIdentifier> todo = new ArrayDeque<>(plan.getRoots());
        while (!todo.isEmpty()) {
            TestIdentifier identifier = todo.pop();
            if (networked(identifier.getSource().orElse(null))) {
                return true;
            }
            todo.addAll(plan.getChildren(identifier));
        }
        return false;
    }

    private static boolean networked(TestSource source) {
        try {
            if (source instanceof MethodSource method) {
                return annotated(method.getJavaMethod()) || networked(method.getJavaClass());
            }
            if (source instanceof ClassSource type) {
                return networked(type.getJavaClass());
            }
        } catch (RuntimeException | LinkageError e) {
            // a class or method that cannot be loaded here: its test will say so; no warm-up for it
        }
        return false;
    }

    private static boolean networked(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (annotated(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean annotated(AnnotatedElement element) {
        return AnnotationSupport.isAnnotated(element, IsolatedNetwork.class);
    }
}
