package dev.isonet.internal.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's effective capabilities, as {@code /proc/self/status} lists them. */
public final class Capabilities {
    public static final int CAP_NET_ADMIN = 12;
    public static final int CAP_SYS_CHROOT = 18;
    public static final int CAP_SYS_ADMIN = 21;

    private Capabilities() {}

    /** The CapEff bit set; 0 (none) if it cannot be read. */
    public static long effective() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return Long.parseUnsignedLong(line.substring(7).strip(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** Whether {@code effective} has capability {@code cap}. */
    public static boolean has(long effective, int cap) {
        return (effective & (1L << cap)) != 0;
    }
}
