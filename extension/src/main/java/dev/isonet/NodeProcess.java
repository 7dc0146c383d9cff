package dev.isonet;

import dev.isonet.internal.ns.HostNamespaces;
import dev.isonet.internal.ns.Namespace;
import dev.isonet.internal.ns.SandboxedProcess;
import dev.isonet.internal.process.Await;
import dev.isonet.internal.process.CapturedProcess;
import dev.isonet.internal.process.LineReader;
import dev.isonet.internal.process.ProcessLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * A process started in a node by {@link Node#start(Command)}, {@link Node#start(ProcessBuilder)} or
 * {@link Node#startJvm(JvmCommand)} (or in an {@link ExternalHost} by its {@code start}), with its output kept
 * line by line.
 *
 * <pre>{@code
 * NodeProcess server = node.start(Command.of("python3", "-u", "-m", "http.server", "8080"));
 * server.awaitLog("Serving HTTP", Duration.ofSeconds(10));
 * ...
 * assertEquals(143, server.stop(Duration.ofSeconds(2)), server::output);
 * }</pre>
 *
 * <ul>
 *   <li><b>Output.</b> Standard output and error are read as they come, into a log of the last
 *       {@code isonet.log.lines} lines (1000 by default; {@link Command#logLines(int)}): {@link #logs()},
 *       {@link #onLine(Consumer)}, {@link #awaitLog(Pattern, Duration)}. Because Isonet reads them,
 *       {@code process().getInputStream()} and {@code getErrorStream()} are empty (already at their end); a
 *       stream that a {@link ProcessBuilder} redirected elsewhere is not captured.
 *   <li><b>Stopping.</b> {@link #stop(Duration)} sends SIGTERM to the process and to every process it started,
 *       also those that detached or double-forked, and SIGKILL to what is left after the grace period;
 *       {@link #kill()} sends SIGKILL at once, as a crash would. Closing the node stops every process the same
 *       way, with the grace period {@code isonet.stop.grace} (2 s by default), and no process outlives the node
 *       or the JVM.
 *   <li><b>Exit codes.</b> As a shell reports them: 128 + n when a signal n ended the process (143 for SIGTERM,
 *       137 for SIGKILL).
 * </ul>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class NodeProcess {
    private static final Duration POLL = Duration.ofMillis(10);
    /** How long waitFor waits, after the exit, for the output pipes to be read to their end. */
    private static final long OUTPUT_AFTER_EXIT_MILLIS = 500;

    private final String where;
    private final List<String> command;
    private final SandboxedProcess process;
    private final ProcessLog log;
    private final Process view;

    private NodeProcess(String where, List<String> command, SandboxedProcess process, ProcessLog log, Process view) {
        this.where = where;
        this.command = List.copyOf(command);
        this.process = process;
        this.log = log;
        this.view = view;
    }

    /** Takes over a started process: reads the streams that are pipes into a log, and feeds {@code stdin}. */
    static NodeProcess capture(String where, List<String> command, SandboxedProcess process, boolean stdout,
                               boolean stderr, int logLines, byte[] stdin) {
        ProcessLog log = new ProcessLog(logLines, (stdout ? 1 : 0) + (stderr ? 1 : 0));
        NodeProcess handle = new NodeProcess(where, command, process, log, new CapturedProcess(process, stdout, stderr));
        if (stdout) {
            HostNamespaces.io(() -> LineReader.read(process.getInputStream(), LogLine.Stream.STDOUT, log));
        }
        if (stderr) {
            HostNamespaces.io(() -> LineReader.read(process.getErrorStream(), LogLine.Stream.STDERR, log));
        }
        if (stdin != null) {
            Namespace.feed(process, stdin);
        }
        return handle;
    }

    /**
     * The process's PID on the host (the node has a PID namespace of its own, where its PID differs): what
     * {@code kill} on the host takes.
     *
     * @return the host PID of the process (of the {@code nsenter} that started it, if the process ended before
     *     its PID was read)
     */
    public long pid() {
        return process.pid();
    }

    /**
     * The command it runs.
     *
     * @return the program and its arguments, as given; an unmodifiable list
     */
    public List<String> command() {
        return command;
    }

    /**
     * The process itself. Signals from {@link Process#destroy()} reach the real process (not only the
     * {@code nsenter} that started it); its captured output streams are empty here, read {@link #logs()}. Its
     * {@code getOutputStream()} is the process's standard input when that is a pipe
     * ({@link Node#start(ProcessBuilder)}).
     *
     * @return the process, as a {@link Process}
     */
    public Process process() {
        return view;
    }

    /**
     * The lines kept so far, from both streams in the order they were read, oldest first.
     *
     * @return a copy of the kept lines; at most {@code isonet.log.lines} (or {@link Command#logLines(int)})
     */
    public List<LogLine> logs() {
        return log.lines();
    }

    /**
     * The lines kept so far from one stream.
     *
     * <pre>{@code
     * List<LogLine> errors = server.logs(LogLine.Stream.STDERR);
     * }</pre>
     *
     * @param stream which stream
     * @return the kept lines of {@code stream}, oldest first; an unmodifiable list
     */
    public List<LogLine> logs(LogLine.Stream stream) {
        return log.lines().stream().filter(line -> line.stream() == stream).toList();
    }

    /**
     * The text of the lines kept so far, each followed by a newline: handy in assertions.
     *
     * <pre>{@code
     * assertEquals(0, process.waitFor(), process::output);
     * }</pre>
     *
     * @return the kept lines of both streams, in the order they were read; empty if none
     */
    public String output() {
        StringBuilder out = new StringBuilder();
        for (LogLine line : log.lines()) {
            out.append(line.text()).append('\n');
        }
        return out.toString();
    }

    /**
     * Gives {@code consumer} every line: first those kept so far, then each new one as it is read, in order, on
     * Isonet's reading thread (keep it short; one that throws is logged once and gets no more lines).
     *
     * <pre>{@code
     * server.onLine(line -> System.out.println("server " + line));
     * }</pre>
     *
     * @param consumer what gets each line
     * @return this handle
     */
    public NodeProcess onLine(Consumer<LogLine> consumer) {
        log.add(consumer);
        return this;
    }

    /**
     * Waits until a line matches {@code pattern} (found anywhere in the line) and returns the first such line;
     * lines printed before this call count too. Fails with a {@link org.awaitility.core.ConditionTimeoutException}
     * that names the pattern, how long it waited, whether the process is still running, and its last lines;
     * early, if the process's output has ended without a match.
     *
     * <pre>{@code
     * LogLine ready = db.awaitLog(Pattern.compile("ready to accept connections"), Duration.ofSeconds(30));
     * }</pre>
     *
     * @param pattern what a line must contain
     * @param timeout how long to wait at most
     * @return the first line, kept or new, that matches
     * @throws org.awaitility.core.ConditionTimeoutException if no line matched within {@code timeout}, or the
     *     output ended without one
     * @throws IllegalArgumentException if {@code timeout} is null, zero or negative
     */
    public LogLine awaitLog(Pattern pattern, Duration timeout) {
        if (pattern == null || timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("awaitLog needs a pattern and a timeout that is not negative, not "
                    + pattern + " and " + timeout);
        }
        AtomicReference<LogLine> found = new AtomicReference<>();
        Consumer<LogLine> watcher = line -> {
            if (found.get() == null && pattern.matcher(line.text()).find()) {
                found.set(line);
            }
        };
        log.add(watcher);
        try {
            return Await.until(timeout, POLL, found::get, () -> found.get() == null && log.ended(),
                    outcome -> "no line of " + this + " matched /" + pattern + "/ "
                            + (outcome.gaveUp() ? "before its output ended, after " + Await.seconds(outcome.waited())
                                    : "within " + Await.seconds(timeout))
                            + "; " + state() + "; last lines:\n" + log.tail(20));
        } finally {
            log.remove(watcher);
        }
    }

    /**
     * {@link #awaitLog(Pattern, Duration)} with a regular expression.
     *
     * <pre>{@code
     * LogLine ready = server.awaitLog("listening on port \\d+", Duration.ofSeconds(10));
     * }</pre>
     *
     * @param regex what a line must contain, as {@link Pattern#compile(String)} takes it
     * @param timeout how long to wait at most
     * @return the first line, kept or new, that matches
     * @throws java.util.regex.PatternSyntaxException if {@code regex} is not a regular expression
     * @throws org.awaitility.core.ConditionTimeoutException if no line matched within {@code timeout}, or the
     *     output ended without one
     * @throws IllegalArgumentException if {@code timeout} is null, zero or negative
     */
    public LogLine awaitLog(String regex, Duration timeout) {
        return awaitLog(Pattern.compile(regex), timeout);
    }

    /** Whether it still runs, or its exit code; its output ends a moment before nsenter reports the exit. */
    private String state() {
        try {
            process.waitFor(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.isAlive() ? "it is still running" : "it exited with code " + process.exitValue();
    }

    /**
     * Waits for the process to end and returns its exit code; by then {@link #logs()} holds all it printed (unless
     * a process it left running still holds its output open: then what came within half a second more).
     *
     * @return the exit code; 128 + n if a signal n ended it
     * @throws InterruptedException if the calling thread is interrupted while it waits
     */
    public int waitFor() throws InterruptedException {
        int code = process.waitFor();
        log.awaitEnd(OUTPUT_AFTER_EXIT_MILLIS);
        return code;
    }

    /**
     * Waits at most {@code timeout} for the process to end; if it has, its output is read as with
     * {@link #waitFor()}.
     *
     * @param timeout how long to wait at most
     * @return true if the process has ended, false if it still runs
     * @throws InterruptedException if the calling thread is interrupted while it waits
     * @throws NullPointerException if {@code timeout} is null
     */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        boolean ended = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (ended) {
            log.awaitEnd(OUTPUT_AFTER_EXIT_MILLIS);
        }
        return ended;
    }

    /**
     * Whether the process still runs.
     *
     * @return true until the process has ended
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The exit code of the ended process; it does not wait (see {@link #waitFor()}).
     *
     * @return the exit code; 128 + n if a signal n ended it
     * @throws IllegalStateException if the process is still running
     */
    public int exitCode() {
        if (process.isAlive()) {
            throw new IllegalStateException(this + " is still running");
        }
        return process.exitValue();
    }

    /**
     * SIGTERM to the process and to every process it started (also detached or double-forked ones), then SIGKILL
     * to whatever is left after {@code grace}. Returns once all of them are gone, with the process's exit code
     * (143 if SIGTERM ended it, 137 if SIGKILL did). Does nothing but return the exit code if the process has
     * already ended.
     *
     * <pre>{@code
     * int code = server.stop(Duration.ofSeconds(5)); // 143 if it ended on SIGTERM
     * }</pre>
     *
     * @param grace how long the processes have to end after SIGTERM; {@link Duration#ZERO} sends SIGKILL at once
     *     after it
     * @return the process's exit code
     * @throws NullPointerException if {@code grace} is null
     * @throws IllegalStateException if the calling thread is interrupted while it waits (its interrupt status is
     *     set again)
     */
    public int stop(Duration grace) {
        process.stop(grace);
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping " + this, e);
        }
    }

    /**
     * {@link #stop(Duration)} with the grace period of the setting {@code isonet.stop.grace} (2 s by default).
     *
     * @return the process's exit code
     * @throws IllegalStateException if the calling thread is interrupted while it waits
     */
    public int stop() {
        return stop(Namespace.settingGrace());
    }

    /**
     * SIGKILL to the process and every process it started, at once, as a crash would; does not wait (use
     * {@link #waitFor()}: the exit code is 137).
     *
     * <pre>{@code
     * replica.kill();
     * assertEquals(137, replica.waitFor());
     * }</pre>
     */
    public void kill() {
        process.destroyForcibly();
    }

    /** The last {@code lines} lines, indented, for reports. */
    String tail(int lines) {
        return log.tail(lines);
    }

    /**
     * The process for messages, such as {@code 'sleep 60' (pid 4242) in node 'a'}.
     *
     * @return the command (cut at 120 characters), the host PID and where it runs
     */
    @Override
    public String toString() {
        String shown = String.join(" ", command);
        if (shown.length() > 120) {
            shown = shown.substring(0, 117) + "...";
        }
        return "'" + shown + "' (pid " + pid() + ") in " + where;
    }
}
