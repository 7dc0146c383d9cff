package dev.isonet;

import java.time.Instant;

/**
 * One line that a process started in a node printed: which stream, when Isonet read it, and its text (UTF-8,
 * without the line end; a byte that is not UTF-8 shows as U+FFFD, and a line longer than
 * {@value #MAX_LENGTH} characters comes as several).
 */
public record LogLine(Stream stream, Instant time, String text) {
    /** Longer lines are split: a process that prints no newline cannot grow a line without bound. */
    public static final int MAX_LENGTH = 8192;

    /** The stream a line came from. */
    public enum Stream {
        STDOUT, STDERR
    }

    /** As {@code stdout| text}, the way failure reports show it. */
    @Override
    public String toString() {
        return (stream == Stream.STDOUT ? "stdout| " : "stderr| ") + text;
    }
}
