package dev.isonet;

import java.nio.charset.StandardCharsets;

/**
 * What a process run by {@link Node#exec} left: its exit code and everything it printed, as bytes. The string
 * views decode UTF-8 leniently: a byte that is not UTF-8 becomes U+FFFD, so output is never lost to an
 * exception.
 */
public final class ExecResult {
    private final int exitCode;
    private final byte[] stdout;
    private final byte[] stderr;

    public ExecResult(int exitCode, byte[] stdout, byte[] stderr) {
        this.exitCode = exitCode;
        this.stdout = stdout.clone();
        this.stderr = stderr.clone();
    }

    /** The exit code; 128 + n when a signal n ended the process. */
    public int exitCode() {
        return exitCode;
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Standard output as UTF-8; bytes that are not UTF-8 show as U+FFFD. */
    public String stdout() {
        return decode(stdout);
    }

    /** Standard error as UTF-8; bytes that are not UTF-8 show as U+FFFD. */
    public String stderr() {
        return decode(stderr);
    }

    /** Standard output exactly as the process wrote it. */
    public byte[] stdoutBytes() {
        return stdout.clone();
    }

    /** Standard error exactly as the process wrote it. */
    public byte[] stderrBytes() {
        return stderr.clone();
    }

    private static String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8); // replaces malformed input, never throws
    }

    @Override
    public String toString() {
        return "ExecResult[exitCode=" + exitCode + ", stdout=" + stdout() + ", stderr=" + stderr() + "]";
    }
}
