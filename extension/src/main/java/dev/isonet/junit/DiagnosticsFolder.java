package dev.isonet.junit;

import dev.isonet.Fault;
import dev.isonet.Network;
import dev.isonet.internal.Settings;
import dev.isonet.internal.diagnostics.Diagnostics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test's diagnostics folder, {@code <isonet.diagnostics.dir>/<class>/<test>/}: written when the test fails
 * (or after every test, with {@code isonet.diagnostics=always}), named in the failure as a suppressed exception
 * of this type, published as the report entry {@code isonet.diagnostics} and, on JUnit 5.12+, as the test's
 * directory {@code isonet}.
 */
final class DiagnosticsFolder extends RuntimeException {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    private static final long serialVersionUID = 1L;
    static final String FAILURE = "failure.txt";

    private DiagnosticsFolder(String text) {
        super(text, null, false, false); // no stack trace: only the text matters
    }

    /** The mode in force; an invalid value (reported where settings are checked) counts as the default. */
    static String mode() {
        try {
            return Settings.DIAGNOSTICS.oneOf("on-failure", "always", "never");
        } catch (IllegalArgumentException e) {
            return Settings.DIAGNOSTICS.defaultValue();
        }
    }

    /** Writes the folder of a failed test and names it in {@code failure}; nothing with mode {@code never}. */
    static Path onFailure(ExtensionContext context, Network network, Throwable failure) {
        if (mode().equals("never")) {
            return null;
        }
        List<Fault> faults = network.faults();
        Path folder = folder(context);
        Diagnostics.Written written = write(context, network, folder, failure);
        failure.addSuppressed(new DiagnosticsFolder(message(written, faults)));
        return folder;
    }

    /** Writes the folder of a test that passed, with mode {@code always}. */
    static void afterSuccess(ExtensionContext context, Network network) {
        if (mode().equals("always")) {
            write(context, network, folder(context), null);
        }
    }

    private static Diagnostics.Written write(ExtensionContext context, Network network, Path folder,
                                             Throwable failure) {
        clear(folder);
        Diagnostics.Written written = Diagnostics.writeAll(network, folder);
        if (failure != null) {
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            try {
                Files.writeString(folder.resolve(FAILURE), trace.toString(), StandardCharsets.UTF_8);
                written.files().add(folder.resolve(FAILURE));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "isonet: could not write " + folder.resolve(FAILURE), e);
            }
        }
        publish(context, written);
        return written;
    }

    static String message(Diagnostics.Written written, List<Fault> faults) {
        String files = written.files().stream().map(f -> {
            String name = f.getFileName().toString();
            return name.equals(Diagnostics.CAPTURE) ? name + " (" + written.capture() + ")" : name;
        }).collect(Collectors.joining(", "));
        if (!written.files().stream().anyMatch(f -> f.getFileName().toString().equals(Diagnostics.CAPTURE))) {
            files = files + " (" + written.capture() + ")";
        }
        return "isonet wrote this test's network diagnostics to " + written.directory() + "/: " + files
                + "\nfaults active at the failure: " + (faults.isEmpty() ? "none"
                        : faults.stream().map(Fault::toString).collect(Collectors.joining("; ")));
    }

    /** {@code <dir>/<class>/<test>/}, absolute: the class's binary name, the method's name (and invocation). */
    static Path folder(ExtensionContext context) {
        Path base = Path.of(Settings.DIAGNOSTICS_DIR.value()).toAbsolutePath().normalize();
        String className = context.getTestClass().map(Class::getName).orElse("(no class)");
        return base.resolve(safe(className)).resolve(safe(testName(context)));
    }

    /**
     * The method's name, with the invocation's number for repeated and parameterized tests and dynamic tests
     * ({@code name[2]});
     * {@code beforeAll} for a failure in a {@code @BeforeAll} method.
     */
    static String testName(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            return "beforeAll";
        }
        String name = context.getTestMethod().get().getName();
        var segment = org.junit.platform.engine.UniqueId.parse(context.getUniqueId()).getLastSegment();
        if (segment.getType().endsWith("-invocation") || segment.getType().startsWith("dynamic-")) {
            name += "[" + segment.getValue().replace("#", "") + "]";
        }
        return name;
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._$\\[\\]()-]", "_");
    }

    /** Removes the files a previous run left in the folder (only files, only there). */
    private static void clear(Path folder) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (DirectoryStream<Path> old = Files.newDirectoryStream(folder)) {
            for (Path file : old) {
                if (Files.isRegularFile(file)) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "isonet: could not clear " + folder, e);
        }
    }

    private static void publish(ExtensionContext context, Diagnostics.Written written) {
        try {
            context.publishReportEntry("isonet.diagnostics", written.directory().toString());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "isonet: could not publish the diagnostics folder as a report entry", e);
        }
        try {
            context.publishDirectory("isonet", target -> {
                for (Path file : written.files()) {
                    Path copy = target.resolve(file.getFileName());
                    try {
                        Files.createLink(copy, file); // the same bytes, not a second 8 MiB capture
                    } catch (IOException | UnsupportedOperationException e) {
                        Files.copy(file, copy);
                    }
                }
            });
        } catch (LinkageError | RuntimeException e) {
            // Before JUnit 5.12 there is no such method (or no output directory is configured): the folder suffices.
            LOG.log(System.Logger.Level.DEBUG, "isonet: could not publish the diagnostics folder as files", e);
        }
    }
}
