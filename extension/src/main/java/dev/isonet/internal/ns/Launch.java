package dev.isonet.internal.ns;

import java.util.List;
import java.util.Map;

/**
 * What to start in a node: arguments, the whole environment, working directory (null: the JVM's), redirects,
 * and the account to switch to inside (null: stay the JVM's user).
 */
public record Launch(List<String> command, Map<String, String> environment, String directory,
                     ProcessBuilder.Redirect stdin, ProcessBuilder.Redirect stdout, ProcessBuilder.Redirect stderr,
                     boolean mergeStderr, Account account) {
    public Launch {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    /** Everything a ProcessBuilder says: its command, environment, directory and redirects. */
    public static Launch of(ProcessBuilder builder) {
        return new Launch(builder.command(), builder.environment(),
                builder.directory() == null ? null : builder.directory().getPath(), builder.redirectInput(),
                builder.redirectOutput(), builder.redirectError(), builder.redirectErrorStream(), null);
    }
}
