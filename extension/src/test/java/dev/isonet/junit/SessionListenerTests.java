package dev.isonet.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.isonet.Network;
import dev.isonet.RequiresPrivileges;
import dev.isonet.internal.Settings;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The launcher listener that the isonet-junit jar registers: a launcher session that built networks ends with
 * one summary line at INFO, unless the summary is turned off by a configuration parameter.
 */
@RequiresPrivileges
class SessionListenerTests {
    private final Logger logger = Logger.getLogger("dev.isonet");
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureLog() {
        logger.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        logger.removeHandler(capture);
        Settings.forgetConfiguration();
    }

    @Test
    void aSessionThatBuiltANetworkEndsWithOneSummaryLineSayingNothingIsLeft() {
        runInASession(false);

        assertThat(logged).filteredOn(r -> r.getLevel() == Level.INFO).singleElement()
                .extracting(LogRecord::getMessage).asString()
                .matches("isonet: 1 network, 2 nodes built; setup median \\d+\\.\\d ms, p99 \\d+\\.\\d ms;"
                        + " nothing left on the host");
    }

    @Test
    void theSummaryCanBeTurnedOffByAConfigurationParameter() {
        runInASession(true);

        assertThat(logged).filteredOn(r -> r.getLevel() == Level.INFO).isEmpty();
    }

    private static void runInASession(boolean summaryOff) {
        var request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(TwoNodesTestCases.class))
                .configurationParameter(Kit.RUNNING, "true");
        if (summaryOff) {
            request.configurationParameter(Settings.SUMMARY.name(), "false");
        }
        try (LauncherSession session = LauncherFactory.openSession()) {
            session.getLauncher().execute(request.build());
        }
    }

    @Kit.Fixture
    static class TwoNodesTestCases {
        @Test
        void test() {
            try (Network network = Network.builder().pool(Kit.POOL).node("a", "b").build()) {
                assertThat(network.nodes()).hasSize(2);
            }
        }
    }
}
