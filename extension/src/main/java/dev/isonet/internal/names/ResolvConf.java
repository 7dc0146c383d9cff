package dev.isonet.internal.names;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The resolv.conf that nodes see: the host's name servers, except loopback ones, which do not exist inside a
 * node (systemd-resolved's stub 127.0.0.53, a local dnsmasq). For those, the real upstream servers that
 * systemd-resolved lists in /run/systemd/resolve/resolv.conf are used where the host has it; otherwise none,
 * so that a lookup of an unknown name fails at once instead of waiting for a server that is not there.
 */
public final class ResolvConf {
    private static final Path HOST = Path.of("/etc/resolv.conf");
    private static final Path RESOLVED_UPSTREAM = Path.of("/run/systemd/resolve/resolv.conf");
    private static String content;

    private ResolvConf() {}

    /** What every node's /etc/resolv.conf holds, read from the host once. */
    public static synchronized String content() {
        if (content == null) {
            content = content(read(HOST), read(RESOLVED_UPSTREAM));
        }
        return content;
    }

    /** What nodes see, from the host's file and systemd-resolved's list of upstream servers (either may be empty). */
    static String content(List<String> host, List<String> resolvedUpstream) {
        StringBuilder out = new StringBuilder("# Written by Isonet for its nodes, from the host's /etc/resolv.conf\n");
        List<String> servers = servers(host);
        if (servers.size() < serverLines(host).size()) {
            out.append("# loopback name servers of the host do not exist inside nodes: left out\n");
            if (servers.isEmpty()) {
                servers = servers(resolvedUpstream);
                if (!servers.isEmpty()) {
                    out.append("# upstream servers from ").append(RESOLVED_UPSTREAM).append('\n');
                }
            }
        }
        for (String line : host) {
            String trimmed = line.strip();
            if (trimmed.startsWith("search ") || trimmed.startsWith("domain ") || trimmed.startsWith("options ")) {
                out.append(trimmed).append('\n');
            }
        }
        for (String server : servers) {
            out.append("nameserver ").append(server).append('\n');
        }
        return out.toString();
    }

    private static List<String> serverLines(List<String> lines) {
        List<String> found = new ArrayList<>();
        for (String line : lines) {
            String[] words = line.strip().split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver")) {
                found.add(words[1]);
            }
        }
        return found;
    }

    private static List<String> servers(List<String> lines) {
        List<String> kept = new ArrayList<>();
        for (String server : serverLines(lines)) {
            if (!loopback(server)) {
                kept.add(server);
            }
        }
        return kept;
    }

    private static boolean loopback(String server) {
        String address = server.toLowerCase(java.util.Locale.ROOT);
        int zone = address.indexOf('%');
        if (zone >= 0) {
            address = address.substring(0, zone);
        }
        return address.startsWith("127.") || address.equals("::1") || address.startsWith("::ffff:127.")
                || address.equals("0:0:0:0:0:0:0:1");
    }

    private static List<String> read(Path path) {
        try {
            return Files.readAllLines(path);
        } catch (IOException e) {
            return List.of();
        }
    }
}
