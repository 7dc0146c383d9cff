package dev.isonet.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.isonet.Node;
import dev.isonet.junit.Container;
import dev.isonet.junit.IsolatedNetwork;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * What a test suite pays per test for its own network: a child JVM runs N generated tests, each with its own
 * 2-node {@code @IsolatedNetwork} ({@code @Container} instance fields, so a network per test), through the JUnit
 * launcher as Surefire does, and the same N tests with no network; plain and networked suites alternate, twice,
 * after a short warm-up of each. Each test's own time (from the launcher's start to finish event: Isonet's
 * beforeEach and afterEach are in it) is collected too.
 */
final class SuiteOverhead {
    static final String CHILD_FLAG = "--suite-child";
    private static final String MARK = "SUITE ";
    private static final String RUNNING = "isonet.bench.suite";
    private static final int WARMUP_TESTS = 20;
    private static final int ROUNDS = 2;
    private static final long CHILD_TIMEOUT_SECONDS = 600;
    private static volatile int count;

    private SuiteOverhead() {}

    /** In the child: warm-up, then plain and networked suites alternated; one line of results. */
    static int child(PrintStream out, int tests) {
        run(SuitePlainTestCases.class, WARMUP_TESTS, null);
        run(SuiteNetworkTestCases.class, WARMUP_TESTS, null);
        StringBuilder line = new StringBuilder(MARK).append(tests);
        List<Double> perTest = new ArrayList<>();
        long tid = ThreadCpu.currentThreadId();
        for (int round = 0; round < ROUNDS; round++) {
            double plain = run(SuitePlainTestCases.class, tests, null);
            ThreadCpu.Snapshot before = ThreadCpu.take();
            double networked = run(SuiteNetworkTestCases.class, tests, perTest);
            ThreadCpu.Spent cpu = ThreadCpu.between(before, ThreadCpu.take(), tid);
            if (Double.isNaN(plain) || Double.isNaN(networked)) {
                return 1;
            }
            line.append(String.format(" %.3f %.3f %.4f %.4f", plain, networked, cpu.isonet() / 1e6 / tests,
                    cpu.caller() / 1e6 / tests));
        }
        double[] times = perTest.stream().mapToDouble(Double::doubleValue).toArray();
        line.append(String.format(" %.3f %.3f %.3f %.3f", Stats.quantile(times, 0.5), Stats.quantile(times, 0.9),
                Stats.quantile(times, 0.99), Stats.quantile(times, 1.0)));
        out.println(line);
        return 0;
    }

    /** One launcher session running {@code tests} tests of {@code cases}; its wall time in ms, NaN on failure. */
    private static double run(Class<?> cases, int tests, List<Double> perTest) {
        count = tests;
        var request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(cases))
                .configurationParameter(RUNNING, "true").build();
        var summary = new org.junit.platform.launcher.listeners.SummaryGeneratingListener();
        Map<String, Long> started = new ConcurrentHashMap<>();
        TestExecutionListener timer = new TestExecutionListener() {
            @Override
            public void executionStarted(TestIdentifier test) {
                if (test.isTest()) {
                    started.put(test.getUniqueId(), System.nanoTime());
                }
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                Long start = started.get(test.getUniqueId());
                if (test.isTest() && start != null && perTest != null) {
                    perTest.add((System.nanoTime() - start) / 1e6);
                }
            }
        };
        long start = System.nanoTime();
        try (LauncherSession session = LauncherFactory.openSession()) {
            session.getLauncher().execute(request, summary, timer);
        }
        double ms = (System.nanoTime() - start) / 1e6;
        if (summary.getSummary().getTestsSucceededCount() != tests) {
            summary.getSummary().printFailuresTo(new java.io.PrintWriter(System.out, true), 20);
            return Double.NaN;
        }
        return ms;
    }

    /** Runs the child JVM and prints what it measured. */
    static void measure(int tests, PrintStream out) throws Exception {
        String load = Sustained.loadAverage();
        String[] f = ChildJvm.run("suite", List.of("-Disonet.summary=false"),
                List.of(CHILD_FLAG, Integer.toString(tests)), MARK, CHILD_TIMEOUT_SECONDS);
        out.printf("a JUnit suite of %s tests through the launcher, each with its own 2-node network, against the"
                + " same tests with no network (one child JVM, alternated, load at start %s):%n", f[0], load);
        int n = Integer.parseInt(f[0]);
        double overheadSum = 0;
        for (int round = 0; round < ROUNDS; round++) {
            double plain = Double.parseDouble(f[1 + 4 * round]);
            double networked = Double.parseDouble(f[2 + 4 * round]);
            overheadSum += (networked - plain) / n;
            out.printf("  round %d: no network %.0f ms, with networks %.0f ms: %.2f ms more per test (Isonet's"
                            + " background threads %.2f ms CPU per test, the test thread %.2f ms)%n", round + 1,
                    plain, networked, (networked - plain) / n, Double.parseDouble(f[3 + 4 * round]),
                    Double.parseDouble(f[4 + 4 * round]));
        }
        int at = 1 + 4 * ROUNDS;
        out.printf("  each networked test, start to finish as the launcher reports it (ms): median %s, p90 %s,"
                        + " p99 %s, max %s%n", f[at], f[at + 1], f[at + 2], f[at + 3]);
        overhead = overheadSum / ROUNDS;
        out.printf("  => per-test overhead of a network: %.2f ms%n", overhead);
    }

    private static double overhead = Double.NaN;

    /** The last measured per-test overhead, in ms; NaN if not measured. */
    static double overheadMs() {
        return overhead;
    }

    static IntStream indexes() {
        return IntStream.range(0, count);
    }

    /** Runs only in the bench's suite child JVM. */
    @ExtendWith(OnlyInChild.class)
    @IsolatedNetwork
    static class SuiteNetworkTestCases {
        @Container
        Node server;
        @Container
        Node client;

        @ParameterizedTest
        @MethodSource("dev.isonet.bench.SuiteOverhead#indexes")
        void test(int i) {
            if (server.ipv4() == null || client.ipv4() == null || i < 0) {
                throw new AssertionError("no addresses");
            }
        }
    }

    /** The same tests without a network. */
    @ExtendWith(OnlyInChild.class)
    static class SuitePlainTestCases {
        @ParameterizedTest
        @MethodSource("dev.isonet.bench.SuiteOverhead#indexes")
        void test(int i) {
            if (i < 0) {
                throw new AssertionError("negative");
            }
        }
    }

    /** Enabled only in the bench's child JVM. */
    static final class OnlyInChild implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(RUNNING).isPresent()
                    ? ConditionEvaluationResult.enabled("in the bench's child JVM")
                    : ConditionEvaluationResult.disabled("runs only in the bench's child JVM");
        }
    }
}
