package dev.isonet.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.isonet.BusyboxRoot;
import dev.isonet.Node;
import dev.isonet.RequiresPrivileges;
import java.nio.file.Files;
import dev.isonet.internal.cgroups.Hierarchies;
import java.nio.file.Path;
import java.util.List;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.Events;

/**
 * Container attributes of {@code @Container}: a bad value fails naming the field and the attribute before
 * anything is made; a root filesystem is looked for when the node is made, so {@code @BeforeAll} may build it
 * for instance fields; limits and a root filesystem given as attributes apply to the node.
 */
class ContainerOptionsTests {
    private static final String FIELD = "@Container field [dev.isonet.Node dev.isonet.junit.ContainerOptionsTests$";

    @Test
    void aBadLimitIsReportedNamingTheFieldAndTheAttribute() {
        Kit.Run run = Kit.run(BadLimitsTestCases.class);

        Events containers = run.results().containerEvents();
        containers.assertThatEvents().haveExactly(1, event(container(BadLimitsTestCases.class.getName()),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message(FIELD
                        + "BadLimitsTestCases.hungry]: memory = \"lots\": node 'hungry': memory limit 'lots' must be a"
                        + " size such as 64m, 1g, 512k or a number of bytes."))));
        run.results().testEvents().assertStatistics(stats -> stats.started(0));
        assertNothingLeft(run);
    }

    @Test
    void tooFewPidsAndTooFewCpusAreReportedNamingTheirAttribute() {
        Kit.Run pids = Kit.run(TooFewPidsTestCases.class);
        Kit.Run cpus = Kit.run(TooFewCpusTestCases.class);

        pids.results().containerEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class), message(FIELD + "TooFewPidsTestCases.node]: pids ="
                        + " 1: node 'node': pids limit 1 must be at least 2: each started process and its starter"
                        + " count."))));
        cpus.results().containerEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class), message(FIELD + "TooFewCpusTestCases.node]: cpus ="
                        + " 0.001: node 'node': cpus 0.001 must be 0.01 to 1024.0."))));
        assertNothingLeft(pids);
        assertNothingLeft(cpus);
    }

    @Test
    void aMissingRootFilesystemIsReportedNamingTheFieldWhenTheNodeWouldBeMade() {
        Kit.Run run = Kit.run(MissingRootTestCases.class);

        Events tests = run.results().testEvents();
        tests.assertThatEvents().haveExactly(1, event(test("test"), finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class), message(FIELD + "MissingRootTestCases.web]: rootfs"
                        + " = \"target/no-such-rootfs\": node 'web': rootfs " + Path.of("target/no-such-rootfs").toAbsolutePath()
                        + " does not exist."))));
        assertNothingLeft(run);
    }

    @Test
    void aLimitTheHostCannotApplyIsReportedNamingTheFieldTheAttributeAndWhy() throws Exception {
        Kit.Run run;
        try (AutoCloseable noCgroups = Hierarchies.pretend(List.of("22 1 0:21 / /sys rw - sysfs sysfs rw"),
                List.of("0::/"))) {
            run = Kit.run(LimitedTestCases.class);
        }

        run.results().containerEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class), message(FIELD + "LimitedTestCases.worker]: memory"
                        + " = \"64m\": node 'worker': memory limit 64 MiB cannot be applied on this host: no cgroup"
                        + " filesystem is mounted (see /proc/self/mountinfo)."))));
        run.results().testEvents().assertStatistics(stats -> stats.started(0));
        assertNothingLeft(run);
    }

    @Test
    @RequiresPrivileges
    void attributesMakeTheNodeAContainerWithARootBuiltInBeforeAll() {
        Kit.Run run = Kit.run(ContainerTestCases.class);

        run.results().testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(run.leftAfterReaping()).isEmpty();
    }

    private static void assertNothingLeft(Kit.Run run) {
        if (run.before() != null) {
            assertThat(run.createdWhileOpen()).isEmpty();
            assertThat(run.leftAfterReaping()).isEmpty();
        }
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class BadLimitsTestCases {
        @Container
        Node fine;
        @Container(memory = "lots")
        Node hungry;

        @Test
        void test() {}
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class LimitedTestCases {
        @Container(memory = "64m")
        Node worker;

        @Test
        void test() {}
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class TooFewPidsTestCases {
        @Container(pids = 1)
        Node node;

        @Test
        void test() {}
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class TooFewCpusTestCases {
        @Container(cpus = 0.001)
        Node node;

        @Test
        void test() {}
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class MissingRootTestCases {
        @Container(rootfs = "target/no-such-rootfs")
        Node web;

        @Test
        void test() {}
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class ContainerTestCases {
        static final Path ROOT = Path.of("target/container-options-rootfs");

        @Container(rootfs = "target/container-options-rootfs", memory = "64m", pids = 50, cpus = 0.5)
        Node web;

        @BeforeAll
        static void buildRoot() throws Exception {
            deleteRoot();
            BusyboxRoot.build(ROOT);
        }

        @AfterAll
        static void deleteRoot() throws Exception {
            if (Files.exists(ROOT)) {
                try (Stream<Path> all = Files.walk(ROOT)) {
                    for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
        }

        @Test
        void test() throws Exception {
            assertThat(web.exec("cat", "/www/index.html").stdout()).isEqualTo("hello from the busybox root\n");
            assertThat(web.exec("cat", "/proc/self/cgroup").stdout()).contains("isonet-");
            assertThat(web.oomKills()).isZero();
        }
    }
}
