package dev.isonet.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.RequiresPrivileges;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Without CAP_NET_ADMIN and CAP_SYS_ADMIN, tests fail with a message naming what is missing and how to get
 * it, or are skipped with that reason where they ask to be. A JVM cannot take back capabilities it dropped,
 * so the fixtures run in a child JVM started without them.
 */
class PrivilegesTests {
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_SYS_ADMIN = 21;
    private static final String ADVICE = "Isonet needs CAP_NET_ADMIN (links, addresses, routes, nf_tables) and"
            + " CAP_SYS_ADMIN (namespaces). Run the tests as root (e.g. 'sudo -E mvn verify'), or in a container"
            + " started with '--cap-add NET_ADMIN --cap-add SYS_ADMIN' (or '--privileged'); ci/ has runner"
            + " setups. To skip such tests instead, use @IsolatedNetwork(disabledWithoutPrivileges = true)";

    @Test
    void withoutPrivilegesATestFailsNamingTheMissingCapabilitiesAndHowToGetThem() throws Exception {
        ChildJvm.Output child = ChildJvm.runWithout(List.of("net_admin", "sys_admin"),
                WithoutPrivilegesTestCases.class, SkippedWithoutPrivilegesTestCases.class,
                MethodSkippedWithoutPrivilegesTestCases.class);

        assertThat(child.effectiveCapabilities() & (1L << CAP_NET_ADMIN)).as("CAP_NET_ADMIN in the child").isZero();
        assertThat(child.effectiveCapabilities() & (1L << CAP_SYS_ADMIN)).as("CAP_SYS_ADMIN in the child").isZero();
        assertThat(child.lines()).contains(
                "FAILED [method:test()] dev.isonet.IsonetException: Isonet cannot build networks here: missing"
                        + " CAP_NET_ADMIN and CAP_SYS_ADMIN. " + ADVICE,
                "SKIPPED [class:" + SkippedWithoutPrivilegesTestCases.class.getName() + "] Isonet: missing"
                        + " CAP_NET_ADMIN and CAP_SYS_ADMIN. " + ADVICE,
                "SKIPPED [method:test(dev.isonet.Network)] Isonet: missing CAP_NET_ADMIN and CAP_SYS_ADMIN. "
                        + ADVICE);
        assertThat(child.lines()).filteredOn(line -> line.startsWith("SUCCESSFUL [method:")).isEmpty();
    }

    @Test
    @RequiresPrivileges // to keep one capability, the child must get it from this JVM
    void withoutOnlyOneCapabilityTheMessageNamesThatOne() throws Exception {
        ChildJvm.Output child = ChildJvm.runWithout(List.of("sys_admin"), WithoutPrivilegesTestCases.class);

        assertThat(child.effectiveCapabilities() & (1L << CAP_NET_ADMIN)).as("CAP_NET_ADMIN in the child").isNotZero();
        assertThat(child.effectiveCapabilities() & (1L << CAP_SYS_ADMIN)).as("CAP_SYS_ADMIN in the child").isZero();
        assertThat(child.lines()).contains("FAILED [method:test()] dev.isonet.IsonetException: Isonet cannot build"
                + " networks here: missing CAP_SYS_ADMIN. " + ADVICE);
    }

    @Test
    @RequiresPrivileges
    void withPrivilegesATestThatMaySkipRuns() {
        Kit.Run run = Kit.run(SkippedWithoutPrivilegesTestCases.class);

        run.results().testEvents().assertStatistics(stats -> stats.succeeded(1).skipped(0));
        assertThat(run.leftAfterReaping()).as("left on the host").isEmpty();
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class WithoutPrivilegesTestCases {
        @Container
        Node server;

        @Test
        void test() {}
    }

    @Kit.Fixture
    @IsolatedNetwork(disabledWithoutPrivileges = true)
    static class SkippedWithoutPrivilegesTestCases {
        @Container
        Node server;

        @Test
        void test() {}
    }

    @Kit.Fixture
    static class MethodSkippedWithoutPrivilegesTestCases {
        @Test
        @IsolatedNetwork(disabledWithoutPrivileges = true)
        void test(Network network) {}
    }
}
