package dev.isonet;

import java.time.Instant;
import org.apiguardian.api.API;

/**
 * One line that a process started in a node printed: which stream, when Isonet read it, and its text (UTF-8,
 * without the line end; a byte that is not UTF-8 shows as U+FFFD, and a line longer than
 * {@value #MAX_LENGTH} characters comes as several).
 *
 * <pre>{@code
 * LogLine ready = server.awaitLog("listening on port \\d+", Duration.ofSeconds(10));
 * List<LogLine> errors = server.logs(LogLine.Stream.STDERR);
 * }</pre>
 *
 * @param stream the stream the line came from
 * @param time when Isonet read the line
 * @param text the line, without its line end
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record LogLine(Stream stream, Instant time, String text) {
    /** Longer lines are split: a process that prints no newline cannot grow a line without bound. */
    public static final int MAX_LENGTH = 8192;

    /** The stream a line came from. */
    public enum Stream {
        /** Standard output. */
        STDOUT,
        /** Standard error. */
        STDERR
    }

    /**
     * The line as failure reports show it: {@code stdout| text} or {@code stderr| text}.
     *
     * @return the stream's name, a bar and the text
     */
    @Override
    public String toString() {
        return (stream == Stream.STDOUT ? "stdout| " : "stderr| ") + text;
    }
}
