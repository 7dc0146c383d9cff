package dev.isonet;

import java.nio.charset.StandardCharsets;
import org.apiguardian.api.API;

/**
 * What a process run by {@link Node#exec} left: its exit code and everything it printed, as bytes. The string
 * views decode UTF-8 leniently: a byte that is not UTF-8 becomes U+FFFD, so output is never lost to an
 * exception. {@code exec} keeps the first 64 MiB of each stream. A result does not change.
 *
 * <pre>{@code
 * ExecResult ping = client.exec("ping", "-c", "1", "-W", "2", "server");
 * assertTrue(ping.succeeded(), ping::toString);
 * }</pre>
 */
@API(status = API.Status.MAINTAINED, since = "0.1")
public final class ExecResult {
    private final int exitCode;
    private final byte[] stdout;
    private final byte[] stderr;

    /**
     * A result with this exit code and output. The arrays are copied.
     *
     * @param exitCode the exit code
     * @param stdout what the process wrote to standard output
     * @param stderr what the process wrote to standard error
     * @throws NullPointerException if {@code stdout} or {@code stderr} is null
     */
    public ExecResult(int exitCode, byte[] stdout, byte[] stderr) {
        this.exitCode = exitCode;
        this.stdout = stdout.clone();
        this.stderr = stderr.clone();
    }

    /**
     * The exit code.
     *
     * @return the code the process exited with; 128 + n when a signal n ended it
     */
    public int exitCode() {
        return exitCode;
    }

    /**
     * Whether the process succeeded.
     *
     * @return true if the exit code is 0
     */
    public boolean succeeded() {
        return exitCode == 0;
    }

    /**
     * Standard output as text.
     *
     * @return the output decoded as UTF-8; bytes that are not UTF-8 show as U+FFFD
     */
    public String stdout() {
        return decode(stdout);
    }

    /**
     * Standard error as text.
     *
     * @return the output decoded as UTF-8; bytes that are not UTF-8 show as U+FFFD
     */
    public String stderr() {
        return decode(stderr);
    }

    /**
     * Standard output exactly as the process wrote it.
     *
     * @return a new copy of the bytes
     */
    public byte[] stdoutBytes() {
        return stdout.clone();
    }

    /**
     * Standard error exactly as the process wrote it.
     *
     * @return a new copy of the bytes
     */
    public byte[] stderrBytes() {
        return stderr.clone();
    }

    private static String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8); // replaces malformed input, never throws
    }

    /**
     * The result for messages: {@code ExecResult[exitCode=1, stdout=..., stderr=...]}, with the output as text.
     *
     * @return the exit code and both outputs
     */
    @Override
    public String toString() {
        return "ExecResult[exitCode=" + exitCode + ", stdout=" + stdout() + ", stderr=" + stderr() + "]";
    }
}
