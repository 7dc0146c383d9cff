package dev.isonet;

import dev.isonet.internal.ns.Account;
import dev.isonet.internal.ns.Launch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command to run in a node with {@link Node#exec(Command)} or {@link Node#start(Command)}: its arguments,
 * environment, working directory, standard input and the user it runs as. Every option is checked when it is
 * set; a command can be run many times.
 *
 * <pre>{@code
 * NodeProcess db = node.start(Command.of("postgres", "-D", "/tmp/pg")
 *         .user("postgres")
 *         .env("LC_ALL", "C")
 *         .directory("/tmp"));
 * }</pre>
 *
 * <p>By default a process inherits the JVM's environment, runs in the JVM's working directory, as the JVM's
 * user, and reads an empty standard input ({@code /dev/null}).
 */
public final class Command {
    private final List<String> args;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private boolean inheritEnvironment = true;
    private Path directory;
    private byte[] stdinBytes;
    private Path stdinFile;
    private String user;
    private Account account;
    private int logLines;

    private Command(List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least the program to run");
        }
        for (String arg : args) {
            if (arg == null) {
                throw new IllegalArgumentException("command " + args + " has a null argument");
            }
        }
        this.args = List.copyOf(args);
    }

    /** The program and its arguments, as {@code execve} takes them: no shell, no splitting. */
    public static Command of(String... args) {
        return new Command(java.util.Arrays.asList(args));
    }

    /** The program and its arguments, as {@code execve} takes them: no shell, no splitting. */
    public static Command of(List<String> args) {
        return new Command(new ArrayList<>(args));
    }

    /** A shell command line, run by {@code sh -c}. */
    public static Command shell(String commandLine) {
        return of("sh", "-c", commandLine);
    }

    /** Adds (or overrides) an environment variable. */
    public Command env(String name, String value) {
        if (name == null || name.isEmpty() || name.contains("=") || name.contains("\0")) {
            throw new IllegalArgumentException("environment variable name '" + name + "' must be non-empty, without"
                    + " '=' or NUL");
        }
        if (value == null || value.contains("\0")) {
            throw new IllegalArgumentException("environment variable " + name + " needs a value without NUL");
        }
        environment.put(name, value);
        return this;
    }

    /** Adds (or overrides) these environment variables. */
    public Command env(Map<String, String> variables) {
        variables.forEach(this::env);
        return this;
    }

    /** Replaces the inherited environment: the process gets exactly {@code variables} (and Isonet's marker). */
    public Command environment(Map<String, String> variables) {
        inheritEnvironment = false;
        environment.clear();
        return env(variables);
    }

    /**
     * The working directory (it must exist in the node; by default the JVM's own). A relative one is relative to
     * the JVM's working directory, or to {@code /} in a node with a root filesystem.
     */
    public Command directory(Path directory) {
        this.directory = directory;
        return this;
    }

    /** The working directory (it must exist in the node; by default the JVM's own). */
    public Command directory(String directory) {
        return directory(Path.of(directory));
    }

    /** Standard input: these bytes, then end of file. */
    public Command stdin(byte[] bytes) {
        this.stdinBytes = bytes.clone();
        this.stdinFile = null;
        return this;
    }

    /** Standard input: this text as UTF-8, then end of file. */
    public Command stdin(String text) {
        return stdin(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Standard input: this file. */
    public Command stdin(Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("stdin file " + file + " is not a readable file");
        }
        this.stdinFile = file.toAbsolutePath();
        this.stdinBytes = null;
        return this;
    }

    /**
     * The user to run as: a name from {@code /etc/passwd} ({@code "nobody"}), a uid ({@code "65534"}) or
     * uid:gid ({@code "65534:65534"}). The process gets that user's real and effective ids, its primary group
     * and its supplementary groups, and {@code HOME}, {@code USER} and {@code LOGNAME} unless set here. The
     * switch happens inside the node ({@code setpriv}), after it was entered.
     */
    public Command user(String user) {
        this.account = Account.lookup(user);
        this.user = user;
        return this;
    }

    /** How many lines of output {@link Node#start(Command)} keeps (by default the setting {@code isonet.log.lines}). */
    public Command logLines(int lines) {
        if (lines < 1) {
            throw new IllegalArgumentException("logLines " + lines + " must be at least 1");
        }
        this.logLines = lines;
        return this;
    }

    public List<String> args() {
        return args;
    }

    /** The user as given, or null for the JVM's own. */
    public String user() {
        return user;
    }

    /** The same options with other arguments. */
    Command withArgs(List<String> otherArgs) {
        Command copy = new Command(otherArgs);
        copy.environment.putAll(environment);
        copy.inheritEnvironment = inheritEnvironment;
        copy.directory = directory;
        copy.stdinBytes = stdinBytes;
        copy.stdinFile = stdinFile;
        copy.user = user;
        copy.account = account;
        copy.logLines = logLines;
        return copy;
    }

    int logLinesOrZero() {
        return logLines;
    }

    byte[] stdinBytes() {
        return stdinBytes == null ? null : stdinBytes.clone();
    }

    /** What the process is started with, the environment resolved now. */
    Launch launch() {
        Map<String, String> env = new LinkedHashMap<>(inheritEnvironment ? System.getenv() : Map.of());
        if (account != null && account.uid() != 0) {
            if (account.home() != null) {
                env.put("HOME", account.home());
            }
            if (account.name() != null) {
                env.put("USER", account.name());
                env.put("LOGNAME", account.name());
            }
        }
        env.putAll(environment);
        ProcessBuilder.Redirect in = stdinBytes != null ? ProcessBuilder.Redirect.PIPE
                : ProcessBuilder.Redirect.from(stdinFile != null ? stdinFile.toFile() : new java.io.File("/dev/null"));
        return new Launch(args, env, directory == null ? null : directory.toString(), in,
                ProcessBuilder.Redirect.PIPE, ProcessBuilder.Redirect.PIPE, false, account);
    }

    @Override
    public String toString() {
        return String.join(" ", args) + (user == null ? "" : " (as " + user + ")")
                + (directory == null ? "" : " (in " + directory + ")");
    }
}
