package dev.isonet.junit;

import dev.isonet.Network;
import dev.isonet.internal.Settings;
import dev.isonet.internal.diagnostics.KeptNetwork;
import dev.isonet.internal.linux.LibC;
import dev.isonet.internal.process.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * With {@code isonet.keep.failed=true}, a failed test's network stays up before it is cleaned up as usual: its
 * namespaces are mounted under {@code /run/netns}, the commands to enter each are logged at WARNING and written
 * to {@value #FILE} in the test's diagnostics folder, and the test's thread waits until {@code isonet.keep.timeout}
 * has passed, that file is deleted, or (when standard input is a terminal) Enter is pressed.
 */
final class KeepOnFailure {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    static final String FILE = "kept.txt";
    private static final Duration POLL = Duration.ofMillis(100);
    /** One waiting test reads a line of standard input at a time: each Enter releases one. */
    private static final Object STDIN = new Object();

    private KeepOnFailure() {}

    static boolean enabled() {
        try {
            return Settings.KEEP_FAILED.enabled();
        } catch (IllegalArgumentException e) {
            return false; // reported where settings are checked
        }
    }

    /** Keeps the network of the failed test of {@code context} up, waits, then releases it; returns what it did. */
    static String keep(ExtensionContext context, Network network) throws IOException {
        Duration timeout;
        try {
            timeout = Settings.KEEP_TIMEOUT.durationValue();
        } catch (IllegalArgumentException e) {
            timeout = Duration.parse("PT10M");
        }
        String test = context.getTestClass().map(Class::getSimpleName).orElse("") + "-"
                + DiagnosticsFolder.testName(context);
        Path folder = DiagnosticsFolder.folder(context);
        Files.createDirectories(folder);
        Path file = folder.resolve(FILE);
        boolean terminal = LibC.isatty(0);
        long start = System.nanoTime();
        try (KeptNetwork kept = KeptNetwork.keep(network, test)) {
            String commands = kept.commands();
            String ending = "it stays up for " + readable(timeout) + " (isonet.keep.timeout), or until you delete "
                    + file + (terminal ? " or press Enter here" : "");
            Files.writeString(file, "Network " + network.subnet() + " of failed test " + context.getDisplayName()
                    + " is kept up; " + ending + ". To enter its namespaces:\n" + commands, StandardCharsets.UTF_8);
            LOG.log(System.Logger.Level.WARNING, "isonet: keeping the network " + network.subnet() + " of failed test "
                    + context.getUniqueId() + " up (isonet.keep.failed=true); " + ending + ". To enter its"
                    + " namespaces:\n" + commands);
            String why = await(timeout, file, terminal);
            String done = "isonet kept network " + network.subnet() + " up for "
                    + Await.seconds(Duration.ofMillis((System.nanoTime() - start) / 1_000_000)) + " (" + why
                    + "), then cleaned it up as usual";
            LOG.log(System.Logger.Level.WARNING, done);
            return done;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** As "10 min" or "30 s". */
    static String readable(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds >= 120 && seconds % 60 == 0 && duration.toNanosPart() == 0 ? seconds / 60 + " min"
                : Await.seconds(duration);
    }

    /** Waits for the first of: the timeout, the file gone, a line on a terminal's standard input. */
    private static String await(Duration timeout, Path file, boolean terminal) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!Files.exists(file)) {
                return file.getFileName() + " was deleted";
            }
            if (terminal && lineTyped()) {
                return "Enter was pressed";
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        return "isonet.keep.timeout passed";
    }

    /** Polls without blocking, so that a waiting thread is never stuck in a read when the wait ends otherwise. */
    private static boolean lineTyped() {
        synchronized (STDIN) {
            try {
                if (System.in.available() <= 0) {
                    return false;
                }
                while (System.in.available() > 0) {
                    if (System.in.read() == '\n') {
                        break;
                    }
                }
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
