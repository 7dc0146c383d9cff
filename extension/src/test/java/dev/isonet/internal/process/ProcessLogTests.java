package dev.isonet.internal.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isonet.LogLine;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/** The bounded log of a process, its consumers, the line splitting, and the wait that fails with a message. */
class ProcessLogTests {

    private static LogLine out(String text) {
        return new LogLine(LogLine.Stream.STDOUT, Instant.EPOCH, text);
    }

    @Test
    void keepsTheLastLinesAndCountsAll() {
        ProcessLog log = new ProcessLog(3, 1);
        for (int i = 1; i <= 5; i++) {
            log.append(out("line " + i));
        }
        assertThat(log.lines()).extracting(LogLine::text).containsExactly("line 3", "line 4", "line 5");
        assertThat(log.total()).isEqualTo(5);
        assertThat(log.tail(2)).isEqualTo("  (last 2 of 5 lines)\n  stdout| line 4\n  stdout| line 5");
        assertThat(new ProcessLog(3, 1).tail(2)).isEqualTo("  (no output)");
    }

    @Test
    void aLateConsumerGetsTheKeptLinesFirstThenNewOnesAndOneThatThrowsIsLeftOut() {
        ProcessLog log = new ProcessLog(10, 1);
        log.append(out("early"));
        List<String> seen = new ArrayList<>();
        log.add(line -> seen.add(line.text()));
        List<String> failing = new ArrayList<>();
        log.add(line -> {
            failing.add(line.text());
            throw new IllegalStateException("consumer bug");
        });
        log.append(out("late"));
        log.append(out("later"));

        assertThat(seen).containsExactly("early", "late", "later");
        assertThat(failing).containsExactly("early");
    }

    @Test
    void streamsAreSplitIntoLinesWithoutTheirEnds() {
        ProcessLog log = new ProcessLog(100, 1);
        String longLine = "x".repeat(LogLine.MAX_LENGTH + 5);
        byte[] bytes = ("one\r\ntwo\n\n" + longLine + "\nlast without newline").getBytes(StandardCharsets.UTF_8);
        LineReader.read(new ByteArrayInputStream(bytes), LogLine.Stream.STDERR, log);

        assertThat(log.lines()).extracting(LogLine::text).containsExactly("one", "two", "",
                "x".repeat(LogLine.MAX_LENGTH), "xxxxx", "last without newline");
        assertThat(log.lines()).allSatisfy(line -> assertThat(line.stream()).isEqualTo(LogLine.Stream.STDERR));
        assertThat(log.ended()).isTrue();
    }

    @Test
    void aWaitFailsWithTheCallersMessageSayingHowLongItTried() {
        assertThatThrownBy(() -> Await.until(Duration.ofMillis(200), Duration.ofMillis(10), () -> null, () -> false,
                outcome -> "gave up after " + Await.seconds(outcome.waited()).replaceAll("\\d+", "N") + ", "
                        + (outcome.attempts() > 3 ? "many" : "few") + " attempts, early: " + outcome.gaveUp()))
                .isInstanceOf(ConditionTimeoutException.class)
                .hasMessage("gave up after N ms, many attempts, early: false");
        assertThatThrownBy(() -> Await.until(Duration.ofSeconds(20), Duration.ofMillis(10), () -> null, () -> true,
                outcome -> "early: " + outcome.gaveUp()))
                .hasMessage("early: true");
        assertThat(Await.until(Duration.ofSeconds(1), Duration.ofMillis(10), () -> "found", () -> false, o -> ""))
                .isEqualTo("found");
        assertThat(Await.seconds(Duration.ofMillis(1500))).isEqualTo("1.5 s");
        assertThat(Await.seconds(Duration.ofSeconds(30))).isEqualTo("30 s");
    }
}
