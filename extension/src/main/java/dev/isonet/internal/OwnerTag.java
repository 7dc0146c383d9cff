package dev.isonet.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name under which this JVM leaves things on the host that the kernel does not free when it dies (cgroups,
 * temporary directories): {@code isonet-<pid>-<start time>}, the start time being field 22 of
 * {@code /proc/<pid>/stat} (clock ticks since boot). A later JVM removes such things only when their owner is
 * gone: no process with that PID, or one that started at another time (the PID was reused).
 */
public final class OwnerTag {
    /** What every such name starts with. */
    public static final String PREFIX = "isonet-";
    private static final Pattern TAGGED = Pattern.compile("isonet-([0-9]+)-([0-9]+)(-.*)?");
    private static final String MINE = PREFIX + ProcessHandle.current().pid() + "-"
            + startTime(ProcessHandle.current().pid());

    private OwnerTag() {}

    /** This JVM's tag, {@code isonet-<pid>-<start time>}. */
    public static String mine() {
        return MINE;
    }

    /** Whether {@code name} is an owner tag, or starts with one followed by '-'. */
    public static boolean isTagged(String name) {
        return TAGGED.matcher(name).matches();
    }

    /** Whether {@code name} is tagged and its owner is gone; false for this JVM's own and for untagged names. */
    public static boolean ownerGone(String name) {
        Matcher matcher = TAGGED.matcher(name);
        if (!matcher.matches()) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(matcher.group(1));
        } catch (NumberFormatException e) {
            return false; // not a PID we could have had
        }
        long started = startTime(pid);
        return started < 0 || !String.valueOf(started).equals(matcher.group(2));
    }

    /** Field 22 of /proc/{@code pid}/stat, or -1 if there is no such process. */
    static long startTime(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[19]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
