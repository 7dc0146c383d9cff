package dev.isonet.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The first networked test in a fresh JVM, as a test suite sees it: each child JVM runs one
 * {@code @IsolatedNetwork} test with two {@code @Container} nodes through the JUnit launcher, as Surefire does,
 * with Isonet's launcher warm-up on (the default) or off, and prints how long the test waited for its network.
 */
final class FirstTest {
    static final String CHILD_FLAG = "--first-test-child";
    private static final String MARK = "FIRSTTEST ";
    private static final String RUNNING = "isonet.bench.first-test";
    private static final long CHILD_TIMEOUT_SECONDS = 60;
    private static volatile long beforeEach;
    private static volatile long ready;
    private static volatile long uptimeAtReady;

    private FirstTest() {}

    /** In the child: one launcher session, one test; prints setup as the test saw it and JVM uptime then. */
    static int child(PrintStream out) {
        var request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(FirstNetworkTestCases.class))
                .configurationParameter(RUNNING, "true").build();
        var listener = new org.junit.platform.launcher.listeners.SummaryGeneratingListener();
        try (LauncherSession session = LauncherFactory.openSession()) {
            session.getLauncher().execute(request, listener);
        }
        if (listener.getSummary().getTestsSucceededCount() != 1) {
            listener.getSummary().printFailuresTo(new java.io.PrintWriter(out, true), 20);
            return 1;
        }
        out.printf("%s%.3f %d%n", MARK, (ready - beforeEach) / 1e6, uptimeAtReady);
        return 0;
    }

    /**
     * Starts fresh JVMs, alternately with and without warm-up, and prints what they measured; returns the median
     * setup with warm-up (the default), in ms.
     */
    static double measure(int childrenEach, PrintStream out) throws Exception {
        List<Double> setupWarm = new ArrayList<>();
        List<Double> setupCold = new ArrayList<>();
        List<Double> uptimeWarm = new ArrayList<>();
        List<Double> uptimeCold = new ArrayList<>();
        for (int c = 0; c < 2 * childrenEach; c++) {
            boolean warmup = c % 2 == 0;
            double[] result = runChild(warmup);
            (warmup ? setupWarm : setupCold).add(result[0]);
            (warmup ? uptimeWarm : uptimeCold).add(result[1]);
        }
        out.printf("first test in a fresh JVM, through the JUnit launcher (@IsolatedNetwork, 2 @Container nodes;"
                + " %d JVMs each; ms, median [min..max]):%n", childrenEach);
        out.printf("  %-44s %-22s JVM start to test body %s%n", "with warm-up (isonet.warmup=true, default):",
                "setup " + Stats.of(setupWarm).format(), Stats.of(uptimeWarm).format());
        out.printf("  %-44s %-22s JVM start to test body %s%n", "without warm-up (isonet.warmup=false):",
                "setup " + Stats.of(setupCold).format(), Stats.of(uptimeCold).format());
        out.println("  setup: from the test's beforeEach to its body, i.e. what the first test waits for its network");
        return Stats.of(setupWarm).median();
    }

    private static double[] runChild(boolean warmup) throws Exception {
        String[] f = ChildJvm.run("first-test", List.of("-Disonet.warmup=" + warmup, "-Disonet.summary=false"),
                List.of(CHILD_FLAG), MARK, CHILD_TIMEOUT_SECONDS);
        return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])};
    }

    /** Runs only in the child's launcher session; the stamp comes before Isonet's own beforeEach. */
    @ExtendWith(Stamp.class)
    @IsolatedNetwork
    static class FirstNetworkTestCases {
        @Container
        Node server;
        @Container
        Node client;

        @Test
        void test() {
            ready = System.nanoTime();
            uptimeAtReady = ManagementFactory.getRuntimeMXBean().getUptime();
        }
    }

    /** Enabled only in the child; notes when the test's beforeEach callbacks start. */
    static final class Stamp implements ExecutionCondition, BeforeEachCallback {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(RUNNING).isPresent()
                    ? ConditionEvaluationResult.enabled("in the bench's child JVM")
                    : ConditionEvaluationResult.disabled("runs only in the bench's child JVM");
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            beforeEach = System.nanoTime();
        }
    }
}
