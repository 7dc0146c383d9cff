package dev.isonet.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Which test plans make the session's warm-up build a network: only those with a networked test. No root needed. */
class NetworkedTestPlanTests {
    @Test
    void aPlanOfPlainTestsHasNoNetworks() {
        assertThat(NetworkedTestPlan.networked(plan(PlainTestCases.class))).isFalse();
    }

    @Test
    void aNetworkedClassMakesThePlanNetworked() {
        assertThat(NetworkedTestPlan.networked(plan(PlainTestCases.class, NetworkedTestCases.class))).isTrue();
    }

    @Test
    void aMetaAnnotationCounts() {
        assertThat(NetworkedTestPlan.networked(plan(MetaAnnotatedTestCases.class))).isTrue();
    }

    @Test
    void aNestedClassInsideANetworkedOneCounts() {
        assertThat(NetworkedTestPlan.networked(plan(NetworkedTestCases.Inner.class))).isTrue();
    }

    private static TestPlan plan(Class<?>... classes) {
        var request = LauncherDiscoveryRequestBuilder.request();
        for (Class<?> c : classes) {
            request.selectors(selectClass(c));
        }
        return LauncherFactory.create().discover(request.build());
    }

    @Retention(RetentionPolicy.RUNTIME)
    @IsolatedNetwork
    @interface Networked {}

    @Kit.Fixture
    static class PlainTestCases {
        @Test
        void test() {}
    }

    @Kit.Fixture
    @IsolatedNetwork
    static class NetworkedTestCases {
        @Test
        void test() {}

        @Nested
        class Inner {
            @Test
            void test() {}
        }
    }

    @Kit.Fixture
    @Networked
    static class MetaAnnotatedTestCases {
        @Test
        void test() {}
    }
}
