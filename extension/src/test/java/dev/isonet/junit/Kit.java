package dev.isonet.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.isonet.HostSnapshot;
import dev.isonet.Network;
import dev.isonet.Privileges;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs {@link Fixture} classes through the JUnit Platform test kit, in this JVM, and watches the host while
 * they run: what it held just before JUnit closed each test's and each class's store is where an extension's
 * kernel objects can still be seen, however fast they are closed and reaped afterwards.
 */
final class Kit {
    /** Configuration parameter the kit sets: fixtures run only where it is. */
    static final String RUNNING = "dev.isonet.junit.kit";
    /**
     * The pool fixtures take subnets from, apart from Isonet's default one: what other programs on the host
     * (another JVM running Isonet, the benchmark) create there is theirs, not a leftover of these tests.
     * Fixtures with a fixed subnet use one from it too.
     */
    static final String POOL = "10.217.0.0/16";
    /** Host links, tables and routes of networks from {@link #POOL}: iso0ad9xxxx, isx0ad9xxxx, isonet-0ad9xxxx. */
    static final String POOL_ID_PREFIX = "0ad9";

    private static final Set<String> createdWhileOpen = Collections.synchronizedSet(new LinkedHashSet<>());
    private static volatile HostSnapshot watchedSince;

    private Kit() {}

    /** A fixture class: it runs only through the kit, which sees the host at the end of each test and class. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Inherited
    @ExtendWith(Kit.FixtureExtension.class)
    @interface Fixture {}

    /**
     * One kit run: its events, the host before it (null without privileges, when nothing can be created), and
     * what was new on the host while a store was open.
     */
    record Run(EngineExecutionResults results, HostSnapshot before, List<String> createdWhileOpen) {
        /** What the run left on the host, once the kernel has reaped (waits at most 10 s). */
        List<String> leftAfterReaping() {
            if (before == null) {
                return List.of();
            }
            dev.isonet.internal.topology.IdleRouters.evictAll(); // kept for a next network: not left behind
            return Leftovers.afterReaping(before);
        }
    }

    /** Runs the fixture classes at the same time (JUnit's parallel execution), as {@link #run} does one. */
    static Run runConcurrently(Class<?>... testCases) {
        HostSnapshot before = Leftovers.withoutKeptRouters();
        createdWhileOpen.clear();
        watchedSince = before;
        String pool = System.setProperty(Network.POOL_PROPERTY, POOL);
        try {
            EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                    .configurationParameter(RUNNING, "true")
                    .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                    .configurationParameter("junit.jupiter.execution.parallel.mode.default", "same_thread")
                    .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                    .selectors(java.util.Arrays.stream(testCases).map(c -> selectClass(c))
                            .toArray(org.junit.platform.engine.DiscoverySelector[]::new))
                    .execute();
            synchronized (createdWhileOpen) {
                return new Run(results, before, List.copyOf(createdWhileOpen));
            }
        } finally {
            watchedSince = null;
            if (pool == null) {
                System.clearProperty(Network.POOL_PROPERTY);
            } else {
                System.setProperty(Network.POOL_PROPERTY, pool);
            }
        }
    }

    /** Runs the fixture class, its networks taken from {@link #POOL}, and watches the host. */
    static Run run(Class<?> testCases) {
        if (Privileges.problem() != null) {
            // Without CAP_NET_ADMIN nothing can be created, nor can the host's nf_tables be listed.
            return new Run(execute(testCases), null, List.of());
        }
        HostSnapshot before = Leftovers.withoutKeptRouters();
        createdWhileOpen.clear();
        watchedSince = before;
        String pool = System.setProperty(Network.POOL_PROPERTY, POOL);
        try {
            EngineExecutionResults results = execute(testCases);
            synchronized (createdWhileOpen) {
                return new Run(results, before, List.copyOf(createdWhileOpen));
            }
        } finally {
            watchedSince = null;
            if (pool == null) {
                System.clearProperty(Network.POOL_PROPERTY);
            } else {
                System.setProperty(Network.POOL_PROPERTY, pool);
            }
        }
    }

    /** Runs the fixture class without watching the host: for a JVM that may not read all of it. */
    static EngineExecutionResults execute(Class<?> testCases) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter(RUNNING, "true")
                .selectors(selectClass(testCases))
                .execute();
    }

    /** Enables fixtures only under the kit, and notes what is new on the host before a store is closed. */
    static final class FixtureExtension implements ExecutionCondition, AfterEachCallback, AfterAllCallback {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(RUNNING).isPresent()
                    ? ConditionEvaluationResult.enabled("run through the test kit")
                    : ConditionEvaluationResult.disabled("a fixture: it runs only through the test kit");
        }

        @Override
        public void afterEach(ExtensionContext context) {
            watch();
        }

        @Override
        public void afterAll(ExtensionContext context) {
            watch();
        }

        private static void watch() {
            HostSnapshot since = watchedSince;
            if (since != null) {
                createdWhileOpen.addAll(Leftovers.between(since, HostSnapshot.take()));
            }
        }
    }
}
