package dev.isonet.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.isonet.HostSnapshot;
import dev.isonet.Node;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.Events;

/**
 * Misused annotations are reported naming the field or parameter, before anything is created: the host
 * holds nothing new at the end of the failed test or class (while JUnit could still close what was made),
 * nor after the run.
 */
class MisuseTests {
    private static final String NAME_RULE = "must be 1 to 63 letters, digits or '-', not starting or ending with"
            + " '-' (it becomes the node's hostname)";

    @Test
    void aFinalFieldIsReportedByName() {
        Kit.Run run = Kit.run(FinalFieldTestCases.class);

        assertClassFailed(run, FinalFieldTestCases.class, "@Container field [final dev.isonet.Node"
                + " dev.isonet.junit.MisuseTests$FinalFieldTestCases.server] must not be declared as final.");
        assertNothingCreated(run);
    }

    @Test
    void aFieldOfAnotherTypeIsReportedByName() {
        Kit.Run run = Kit.run(FieldOfAnotherTypeTestCases.class);

        assertClassFailed(run, FieldOfAnotherTypeTestCases.class, "@Container field [java.lang.String"
                + " dev.isonet.junit.MisuseTests$FieldOfAnotherTypeTestCases.server] must be of type dev.isonet.Node,"
                + " not java.lang.String.");
        assertNothingCreated(run);
    }

    @Test
    void twoFieldsNamingTheSameNodeAreReportedTogether() {
        Kit.Run run = Kit.run(TwoFieldsOneNameTestCases.class);

        assertClassFailed(run, TwoFieldsOneNameTestCases.class, "@Container fields [static dev.isonet.Node"
                + " dev.isonet.junit.MisuseTests$TwoFieldsOneNameTestCases.backup] and [dev.isonet.Node"
                + " dev.isonet.junit.MisuseTests$TwoFieldsOneNameTestCases.server] both name node 'server'; give one"
                + " of them @Container(name = \"...\").");
        assertNothingCreated(run);
    }

    @Test
    void aNestedFieldNamingANodeOfTheEnclosingClassIsReportedTogetherWithIt() {
        Kit.Run run = Kit.run(NestedNameClashTestCases.class);

        assertClassFailed(run, "nested-class:Inner", "@Container fields [dev.isonet.Node"
                + " dev.isonet.junit.MisuseTests$NestedNameClashTestCases$Inner.server] and [dev.isonet.Node"
                + " dev.isonet.junit.MisuseTests$NestedNameClashTestCases.server] both name node 'server'; give one"
                + " of them @Container(name = \"...\").");
        assertNothingCreated(run);
    }

    @Test
    void anInvalidNodeNameIsReportedWithTheField() {
        Kit.Run run = Kit.run(InvalidNameTestCases.class);

        assertClassFailed(run, InvalidNameTestCases.class, "@Container field [dev.isonet.Node"
                + " dev.isonet.junit.MisuseTests$InvalidNameTestCases.server]: node name 'bad_name' " + NAME_RULE + ".");
        assertNothingCreated(run);
    }

    @Test
    void aParameterOfAnotherTypeIsReportedByName() {
        Kit.Run run = Kit.run(ParameterOfAnotherTypeTestCases.class);

        assertTestFailed(run, ParameterResolutionException.class, "@Container parameter [java.lang.String server] of"
                + " [void dev.isonet.junit.MisuseTests$ParameterOfAnotherTypeTestCases.test(java.lang.String)] must be"
                + " of type dev.isonet.Node.");
        assertNothingCreated(run);
    }

    @Test
    void anInvalidParameterNodeNameIsReportedWithTheParameter() {
        Kit.Run run = Kit.run(InvalidParameterNameTestCases.class);

        assertTestFailed(run, ParameterResolutionException.class,
                "@Container parameter [dev.isonet.Node server]: node name 'bad_name' " + NAME_RULE + ".");
        assertNothingCreated(run);
    }

    @Test
    void aGoodFieldBesideABadOneIsNotCreated() {
        Kit.Run run = Kit.run(GoodAndBadFieldTestCases.class);

        assertClassFailed(run, GoodAndBadFieldTestCases.class, "@Container field [final dev.isonet.Node"
                + " dev.isonet.junit.MisuseTests$GoodAndBadFieldTestCases.bad] must not be declared as final.");
        assertNothingCreated(run);
    }

    @Test
    void aGoodStaticFieldBesideABadInstanceFieldIsNotCreated() {
        Kit.Run run = Kit.run(GoodStaticAndBadInstanceFieldTestCases.class);

        assertClassFailed(run, GoodStaticAndBadInstanceFieldTestCases.class, "@Container field [dev.isonet.Node"
                + " dev.isonet.junit.MisuseTests$GoodStaticAndBadInstanceFieldTestCases.bad]: node name '-bad' "
                + NAME_RULE + ".");
        assertNothingCreated(run);
    }

    @Test
    void anInvalidSubnetIsReportedWithTheAnnotation() {
        Kit.Run run = Kit.run(InvalidSubnetTestCases.class);

        assertClassFailed(run, InvalidSubnetTestCases.class, "@IsolatedNetwork(subnet = \"10.217.x.0/24\") on [class"
                + " dev.isonet.junit.MisuseTests$InvalidSubnetTestCases]: subnet '10.217.x.0/24' must be written as"
                + " a.b.c.d/n (decimal, no leading zeros), for example 10.213.0.0/24.");
        assertNothingCreated(run);
    }

    @Test
    void aContainerFieldWithoutIsolatedNetworkFailsNamingTheField() {
        Kit.Run run = Kit.run(WithoutIsolatedNetworkTestCases.class);

        assertTestFailed(run, ExtensionConfigurationException.class, "@Container field [dev.isonet.Node"
                + " dev.isonet.junit.MisuseTests$WithoutIsolatedNetworkTestCases.server] is in a class without"
                + " @IsolatedNetwork: add @IsolatedNetwork to [dev.isonet.junit.MisuseTests$WithoutIsolatedNetworkTestCases]"
                + " or to the test method; without it no network is built and the field would stay null");
        assertNothingCreated(run);
    }

    @Test
    void aStaticContainerFieldWithoutIsolatedNetworkFailsNamingTheField() {
        Kit.Run run = Kit.run(StaticWithoutIsolatedNetworkTestCases.class);

        assertClassFailed(run, StaticWithoutIsolatedNetworkTestCases.class, "@Container static field [static"
                + " dev.isonet.Node dev.isonet.junit.MisuseTests$StaticWithoutIsolatedNetworkTestCases.server] is in a"
                + " class without @IsolatedNetwork: add @IsolatedNetwork to"
                + " [dev.isonet.junit.MisuseTests$StaticWithoutIsolatedNetworkTestCases] (or an enclosing class)");
        assertNothingCreated(run);
    }

    @Kit.Fixture
    static class WithoutIsolatedNetworkTestCases {
        @Container
        Node server;

        @Test
        void test() {}
    }

    @Kit.Fixture
    static class StaticWithoutIsolatedNetworkTestCases {
        @Container
        static Node server;

        @Test
        void test() {}
    }

    private static void assertClassFailed(Kit.Run run, Class<?> testClass, String message) {
        assertClassFailed(run, "class:" + testClass.getName(), message);
    }

    private static void assertClassFailed(Kit.Run run, String uniqueIdSubstring, String message) {
        Events containers = run.results().containerEvents();
        containers.assertThatEvents().haveExactly(1, event(container(uniqueIdSubstring),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message(message))));
        containers.assertStatistics(stats -> stats.failed(1));
        run.results().testEvents().assertStatistics(stats -> stats.started(0));
    }

    private static void assertTestFailed(Kit.Run run, Class<? extends Throwable> type, String message) {
        Events tests = run.results().testEvents();
        tests.assertThatEvents().haveExactly(1, event(test("test"), finishedWithFailure(instanceOf(type),
                message(message))));
        tests.assertStatistics(stats -> stats.started(1).failed(1));
        run.results().containerEvents().assertStatistics(stats -> stats.failed(0));
    }

    private static void assertNothingCreated(Kit.Run run) {
        if (run.before() == null) {
            return; // without privileges nothing can be created, nor can the host's nf_tables be listed
        }
        assertThat(run.createdWhileOpen()).as("new on the host before JUnit closed the stores").isEmpty();
        assertThat(Leftovers.between(run.before(), HostSnapshot.take())).as("new on the host after the run")
                .isEmpty();
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class FinalFieldTestCases {
        @Container
        final Node server = null;

        @Test
        void test() {}
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class FieldOfAnotherTypeTestCases {
        @Container
        String server;

        @Test
        void test() {}
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class TwoFieldsOneNameTestCases {
        @Container
        Node server;
        @Container(name = "server")
        static Node backup;

        @Test
        void test() {}
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class NestedNameClashTestCases {
        @Container
        Node server;

        @Nested
        class Inner {
            @Container
            Node server;

            @Test
            void test() {}
        }
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class InvalidNameTestCases {
        @Container(name = "bad_name")
        Node server;

        @Test
        void test() {}
    }

    @Kit.Fixture
    @IsolatedNetwork(subnet = "10.217.x.0/24")
    static class InvalidSubnetTestCases {
        @Container
        Node server;

        @Test
        void test() {}
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class ParameterOfAnotherTypeTestCases {
        @Test
        void test(@Container String server) {}
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class InvalidParameterNameTestCases {
        @Test
        void test(@Container(name = "bad_name") Node server) {}
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class GoodAndBadFieldTestCases {
        @Container
        Node good;
        @Container
        final Node bad = null;

        @Test
        void test() {}
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class GoodStaticAndBadInstanceFieldTestCases {
        @Container
        static Node good;
        @Container(name = "-bad")
        Node bad;

        @Test
        void test() {}
    }
}
