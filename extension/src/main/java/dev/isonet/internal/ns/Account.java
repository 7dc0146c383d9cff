package dev.isonet.internal.ns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A user to run a process as: ids, and where known its name and home, from {@code /etc/passwd} (the host's,
 * which is also the nodes').
 */
public record Account(int uid, int gid, String name, String home) {
    private static final Path PASSWD = Path.of("/etc/passwd");

    /** {@code user} as a name, a uid or uid:gid; fails saying why unless it is one of those and known. */
    public static Account lookup(String user) {
        return lookup(user, read());
    }

    static Account lookup(String user, List<String> passwd) {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("user must be a name, a uid or uid:gid, not '" + user + "'");
        }
        if (user.matches("\\d{1,9}:\\d{1,9}")) {
            String[] ids = user.split(":");
            int uid = Integer.parseInt(ids[0]);
            Account known = find(passwd, 2, ids[0]);
            return new Account(uid, Integer.parseInt(ids[1]), known == null ? null : known.name(),
                    known == null ? null : known.home());
        }
        boolean numeric = user.matches("\\d{1,9}");
        Account known = find(passwd, numeric ? 2 : 0, user);
        if (known != null) {
            return known;
        }
        if (numeric) {
            throw new IllegalArgumentException("user " + user + " has no entry in " + PASSWD + ", so its group is not"
                    + " known: give it as uid:gid");
        }
        throw new IllegalArgumentException("user '" + user + "' is not in " + PASSWD + "; give a known name, a uid"
                + " or uid:gid");
    }

    private static Account find(List<String> passwd, int field, String value) {
        for (String line : passwd) {
            String[] f = line.split(":", -1);
            if (f.length >= 7 && f[field].equals(value)) {
                try {
                    return new Account(Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[0], f[5].isEmpty() ? null : f[5]);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static List<String> read() {
        try {
            return Files.readAllLines(PASSWD);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** nsenter's own switch (-S/-G): for a root filesystem without setpriv; no supplementary groups. */
    List<String> nsenterOptions() {
        return List.of("--setuid=" + uid, "--setgid=" + gid);
    }

    /** The setpriv options that switch to this account (supplementary groups only where the name is known). */
    List<String> setprivOptions() {
        return List.of("--reuid=" + uid, "--regid=" + gid, name != null ? "--init-groups" : "--clear-groups");
    }

    @Override
    public String toString() {
        return (name != null ? name + " " : "") + "(uid " + uid + ", gid " + gid + ")";
    }
}
