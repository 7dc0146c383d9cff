package example;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;

/** The suite runs on the JUnit that the build asked for (-Djunit.version=...), whatever isonet-junit was built with. */
class JUnitVersionTests {

    @Test
    void theSuiteRunsOnTheJUnitTheBuildAskedFor() {
        String jupiter = Test.class.getPackage().getImplementationVersion();
        String platform = Launcher.class.getPackage().getImplementationVersion();
        System.out.println("sample suite on JUnit Jupiter " + jupiter + " (platform " + platform + ")");

        assertThat(jupiter).isEqualTo(System.getProperty("junit.expected.version"));
    }
}
