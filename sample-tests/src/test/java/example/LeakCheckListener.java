package example;

import dev.isonet.HostSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Records the host before the suite, and this JVM's threads in foreign namespaces after it, for
 * {@link NothingLeftBehindTest}. Active only where isonet.leakcheck.record is set.
 */
public class LeakCheckListener implements LauncherSessionListener {
    static final String BEFORE = "host-before.txt";
    static final String THREADS = "threads-after.txt";

    private static Path dir() {
        return Path.of(System.getProperty("isonet.leakcheck.dir", "target/leakcheck"));
    }

    private static boolean recording() {
        return Boolean.getBoolean("isonet.leakcheck.record");
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (recording()) {
            write(BEFORE, HostSnapshot.take().lines());
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (!recording()) {
            return;
        }
        // Closed nodes' threads end asynchronously; give them a bounded moment.
        List<String> threads = List.of();
        for (int i = 0; i < 50; i++) {
            threads = HostSnapshot.take().lines().stream().filter(l -> l.startsWith("thread ")).toList();
            if (threads.isEmpty()) {
                break;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        write(THREADS, threads);
    }

    private static void write(String name, List<String> lines) {
        try {
            Files.createDirectories(dir());
            Files.write(dir().resolve(name), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
