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
import org.apiguardian.api.API;

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
 *
 * <p>A command is not thread-safe: set its options on one thread, then run it from any.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
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

    /**
     * The program and its arguments, as {@code execve} takes them: no shell, no splitting. The program is looked
     * up in {@code PATH} unless it contains a {@code /}.
     *
     * <pre>{@code
     * Command.of("ping", "-c", "1", "server")
     * }</pre>
     *
     * @param args the program, then its arguments
     * @return a command with the default options
     * @throws IllegalArgumentException if {@code args} is empty or holds a null
     */
    public static Command of(String... args) {
        return new Command(java.util.Arrays.asList(args));
    }

    /**
     * The program and its arguments, as {@code execve} takes them: no shell, no splitting. The list is copied.
     *
     * @param args the program, then its arguments
     * @return a command with the default options
     * @throws IllegalArgumentException if {@code args} is empty or holds a null
     */
    public static Command of(List<String> args) {
        return new Command(new ArrayList<>(args));
    }

    /**
     * A shell command line, run by {@code sh -c}: pipes, redirections and variables work as in a shell.
     *
     * <pre>{@code
     * node.exec(Command.shell("ip -4 addr show eth0 | grep inet"))
     * }</pre>
     *
     * @param commandLine the line for {@code sh -c}
     * @return a command running {@code sh -c commandLine}
     * @throws IllegalArgumentException if {@code commandLine} is null
     */
    public static Command shell(String commandLine) {
        return of("sh", "-c", commandLine);
    }

    /**
     * Adds an environment variable, or replaces the value of one already set or inherited.
     *
     * @param name the variable's name
     * @param value its value; may be empty
     * @return this command
     * @throws IllegalArgumentException if {@code name} is null, empty, or holds {@code =} or NUL, or if
     *     {@code value} is null or holds NUL
     */
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

    /**
     * Adds these environment variables, as {@link #env(String, String)} does for each, in the map's order.
     *
     * @param variables names and values
     * @return this command
     * @throws IllegalArgumentException on the first bad name or value, as {@link #env(String, String)}; the
     *     variables before it stay set
     */
    public Command env(Map<String, String> variables) {
        Command checked = new Command(List.of("check"));
        variables.forEach(checked::env); // all or nothing
        environment.putAll(checked.environment);
        return this;
    }

    /**
     * Replaces the inherited environment and every variable set so far: the process gets exactly
     * {@code variables}, plus Isonet's marker ({@code ISONET_PROCESS}) and, with a {@link #user(String)} other
     * than root, that user's {@code HOME}, {@code USER} and {@code LOGNAME} unless given here.
     *
     * <pre>{@code
     * Command.of("env").environment(Map.of("PATH", "/usr/bin:/bin"))
     * }</pre>
     *
     * @param variables names and values
     * @return this command
     * @throws IllegalArgumentException on the first bad name or value, as {@link #env(String, String)}
     */
    public Command environment(Map<String, String> variables) {
        Command checked = Command.of("check").env(variables); // fails before anything here changes
        inheritEnvironment = false;
        environment.clear();
        environment.putAll(checked.environment);
        return this;
    }

    /**
     * The working directory. It must exist in the node, which is found out only when the command runs. A
     * relative one is relative to the JVM's working directory, or to {@code /} in a node with a root filesystem
     * ({@link NodeSpec#rootfs(Path)}).
     *
     * @param directory the directory, or null for the default: the JVM's working directory (or {@code /} in a
     *     node with a root filesystem)
     * @return this command
     */
    public Command directory(Path directory) {
        this.directory = directory;
        return this;
    }

    /**
     * The working directory, as {@link #directory(Path)}.
     *
     * @param directory the directory's path
     * @return this command
     * @throws java.nio.file.InvalidPathException if {@code directory} is not a path
     */
    public Command directory(String directory) {
        return directory(Path.of(directory));
    }

    /**
     * Standard input: these bytes, then end of file. The bytes are copied; this replaces an earlier
     * {@code stdin}.
     *
     * @param bytes what the process reads
     * @return this command
     */
    public Command stdin(byte[] bytes) {
        this.stdinBytes = bytes.clone();
        this.stdinFile = null;
        return this;
    }

    /**
     * Standard input: this text as UTF-8, then end of file. This replaces an earlier {@code stdin}.
     *
     * @param text what the process reads
     * @return this command
     */
    public Command stdin(String text) {
        return stdin(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Standard input: this file of the host, opened when the command runs. This replaces an earlier
     * {@code stdin}.
     *
     * @param file the file the process reads; a relative path is taken from the JVM's working directory
     * @return this command
     * @throws IllegalArgumentException if {@code file} is not readable now
     */
    public Command stdin(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("stdin file " + file + " is not a readable file");
        }
        this.stdinFile = file.toAbsolutePath();
        this.stdinBytes = null;
        return this;
    }

    /**
     * The user to run as: a name from {@code /etc/passwd} ({@code "nobody"}), a uid ({@code "65534"}) or
     * uid:gid ({@code "65534:65534"}). The process gets that user's real and effective ids, its primary group
     * and its supplementary groups, and (unless it is root) {@code HOME}, {@code USER} and {@code LOGNAME}
     * unless set here. The switch happens inside the node ({@code setpriv}), after it was entered. Names and
     * uids are looked up in the host's {@code /etc/passwd} now.
     *
     * <pre>{@code
     * ExecResult id = node.exec(Command.of("id", "-u").user("nobody")); // stdout "65534\n"
     * }</pre>
     *
     * @param user a user name, a uid, or uid:gid
     * @return this command
     * @throws IllegalArgumentException if {@code user} is blank, is none of these forms, or names a user (or a
     *     lone uid) that {@code /etc/passwd} does not have
     */
    public Command user(String user) {
        this.account = Account.lookup(user);
        this.user = user;
        return this;
    }

    /**
     * How many lines of output {@link Node#start(Command)} keeps for {@link NodeProcess#logs()} (by default the
     * setting {@code isonet.log.lines}); older lines are dropped. {@link Node#exec(Command)} ignores this: its
     * {@link ExecResult} holds the output itself.
     *
     * @param lines the number of lines to keep
     * @return this command
     * @throws IllegalArgumentException if {@code lines} is less than 1
     */
    public Command logLines(int lines) {
        if (lines < 1) {
            throw new IllegalArgumentException("logLines " + lines + " must be at least 1");
        }
        this.logLines = lines;
        return this;
    }

    /**
     * The program and its arguments.
     *
     * @return an unmodifiable list
     */
    public List<String> args() {
        return args;
    }

    /**
     * The user the process runs as.
     *
     * @return the user as given to {@link #user(String)}, or null for the JVM's own
     */
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

    /**
     * The command as a line for messages, such as {@code id -u (as nobody) (in /tmp)}.
     *
     * @return the arguments joined by spaces, with the user and directory if set
     */
    @Override
    public String toString() {
        return String.join(" ", args) + (user == null ? "" : " (as " + user + ")")
                + (directory == null ? "" : " (in " + directory + ")");
    }
}
