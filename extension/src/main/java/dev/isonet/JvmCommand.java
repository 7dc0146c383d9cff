package dev.isonet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * A child JVM to run in a node with {@link Node#startJvm(JvmCommand)}: a main class, its arguments, system
 * properties, JVM options and a class path (by default the test's own). It is a process of the node like any
 * other: its sockets, interfaces, {@code /proc} and static state are its own, and {@link NodeProcess#kill()}
 * (SIGKILL) ends it as a crash would.
 *
 * <pre>{@code
 * NodeProcess server = node.startJvm(JvmCommand.main(EchoServer.class).args("7000")
 *         .systemProperty("role", "primary").jvmOptions("-Xmx64m"));
 * server.awaitLog("listening", Duration.ofSeconds(20));
 * }</pre>
 *
 * <p>The default class path is this JVM's {@code java.class.path}. Surefire may pass a jar that holds only a
 * manifest (whose {@code Class-Path} names the real entries) in a temporary directory: that works, because
 * a node sees the host's files.
 *
 * <p>A JVM command is not thread-safe: set its options on one thread, then start it from any.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class JvmCommand {
    private final String mainClass;
    private final List<String> args = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private String classPath = System.getProperty("java.class.path");
    private Path javaHome = Path.of(System.getProperty("java.home"));
    private Command command;

    private JvmCommand(String mainClass) {
        if (mainClass == null || !mainClass.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*")) {
            throw new IllegalArgumentException("main class '" + mainClass + "' must be a binary class name, such as"
                    + " com.example.Server");
        }
        this.mainClass = mainClass;
    }

    /**
     * A JVM running {@code mainClass}'s {@code main}.
     *
     * @param mainClass the class whose {@code main} runs; the class path must hold it
     * @return a JVM command with the default options
     */
    public static JvmCommand main(Class<?> mainClass) {
        return new JvmCommand(mainClass.getName());
    }

    /**
     * A JVM running the {@code main} of the class with this binary name. The class need not be on this JVM's
     * class path, only on the child's.
     *
     * @param mainClass a binary class name, such as {@code com.example.Server} or {@code com.example.App$Main}
     * @return a JVM command with the default options
     * @throws IllegalArgumentException if {@code mainClass} is null or not a binary class name
     */
    public static JvmCommand main(String mainClass) {
        return new JvmCommand(mainClass);
    }

    /**
     * Adds arguments for {@code main}, after those added before.
     *
     * @param arguments the arguments
     * @return this JVM command
     * @throws NullPointerException if an argument is null
     */
    public JvmCommand args(String... arguments) {
        args.addAll(checked("argument", arguments));
        return this;
    }

    private static List<String> checked(String what, String... values) {
        for (String value : values) {
            if (value == null) {
                throw new IllegalArgumentException("a " + what + " must not be null: " + java.util.Arrays.toString(values));
            }
        }
        return List.of(values);
    }

    /**
     * Adds options for the {@code java} launcher, given before the main class, such as {@code -Xmx64m} or
     * {@code -XX:+UseSerialGC}.
     *
     * @param options the options, each one argument
     * @return this JVM command
     * @throws NullPointerException if an option is null
     */
    public JvmCommand jvmOptions(String... options) {
        jvmOptions.addAll(checked("JVM option", options));
        return this;
    }

    /**
     * Sets a system property ({@code -Dname=value}), replacing an earlier value of the same name.
     *
     * @param name the property's name
     * @param value its value
     * @return this JVM command
     * @throws IllegalArgumentException if {@code name} is null, empty or holds {@code =}
     */
    public JvmCommand systemProperty(String name, String value) {
        if (name == null || name.isEmpty() || name.contains("=")) {
            throw new IllegalArgumentException("system property name '" + name + "' must be non-empty, without '='");
        }
        if (value == null) {
            throw new IllegalArgumentException("system property " + name + " needs a value, not null");
        }
        systemProperties.put(name, value);
        return this;
    }

    /**
     * The class path, as {@code -cp} takes it; by default this JVM's {@code java.class.path}.
     *
     * @param classPath entries separated by {@code :}; null or empty leaves out {@code -cp}
     * @return this JVM command
     */
    public JvmCommand classPath(String classPath) {
        this.classPath = classPath;
        return this;
    }

    /**
     * The class path from these entries, in order.
     *
     * <pre>{@code
     * JvmCommand.main(EchoServer.class).classPath(List.of(Path.of("target/classes"), Path.of("lib/netty.jar")))
     * }</pre>
     *
     * @param entries directories or jars
     * @return this JVM command
     */
    public JvmCommand classPath(List<Path> entries) {
        return classPath(String.join(java.io.File.pathSeparator, entries.stream().map(Path::toString).toList()));
    }

    /**
     * The Java installation to run; by default this JVM's own ({@code java.home}).
     *
     * @param home the installation's directory, which holds {@code bin/java}
     * @return this JVM command
     * @throws IllegalArgumentException if {@code home/bin/java} is not an executable file
     */
    public JvmCommand javaHome(Path home) {
        if (!Files.isExecutable(home.resolve("bin/java"))) {
            throw new IllegalArgumentException("java home " + home + " has no executable bin/java");
        }
        this.javaHome = home;
        return this;
    }

    /**
     * Environment, directory, user and standard input, as for any process: {@code command}'s arguments are
     * ignored, its other options are taken, as they are when the JVM starts.
     *
     * <pre>{@code
     * Command asNobody = Command.of("true").user("nobody").env("TZ", "UTC"); // "true" is ignored
     * node.startJvm(JvmCommand.main(Worker.class).process(asNobody));
     * }</pre>
     *
     * @param command the process options, or null for the defaults of {@link Command}
     * @return this JVM command
     */
    public JvmCommand process(Command command) {
        this.command = command;
        return this;
    }

    /**
     * The main class.
     *
     * @return its binary name
     */
    public String mainClass() {
        return mainClass;
    }

    /**
     * The java command line, as it is now: {@code <javaHome>/bin/java <options> -D... -cp <path> <main> <args>}.
     *
     * @return a new list of the arguments
     */
    public List<String> commandLine() {
        List<String> line = new ArrayList<>();
        line.add(javaHome.resolve("bin/java").toString());
        line.addAll(jvmOptions);
        systemProperties.forEach((name, value) -> line.add("-D" + name + "=" + value));
        if (classPath != null && !classPath.isEmpty()) {
            line.add("-cp");
            line.add(classPath);
        }
        line.add(mainClass);
        line.addAll(args);
        return line;
    }

    /** The {@link Command} that runs it. */
    Command toCommand() {
        return command == null ? Command.of(commandLine()) : command.withArgs(commandLine());
    }

    /**
     * The JVM for messages, such as {@code JVM com.example.EchoServer 7000}.
     *
     * @return the main class and its arguments
     */
    @Override
    public String toString() {
        return "JVM " + mainClass + (args.isEmpty() ? "" : " " + String.join(" ", args));
    }
}
