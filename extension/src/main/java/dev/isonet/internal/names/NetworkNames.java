package dev.isonet.internal.names;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The names of one network: every node by its name and aliases, and the host by {@link #HOST_ALIAS}, IPv4
 * and IPv6. Each node that has its own mount namespace has a hosts file over /etc/hosts, which this keeps
 * current as nodes come and go; Java code asks {@link #lookup}.
 */
public final class NetworkNames implements AutoCloseable {
    /** The name by which nodes reach the host: the network's host address. */
    public static final String HOST_ALIAS = "host.isonet.internal";

    private record Entry(List<String> names, Inet4Address ipv4, Inet6Address ipv6) {}

    private final String subnet;
    private final Inet4Address hostV4;
    private final Inet6Address hostV6;
    private final Map<String, Entry> nodes = new LinkedHashMap<>();
    private final List<HostsFile> files = new ArrayList<>();
    private boolean closed;

    public NetworkNames(String subnet, Inet4Address hostV4, Inet6Address hostV6) {
        this.subnet = subnet;
        this.hostV4 = hostV4;
        this.hostV6 = hostV6;
    }

    /** Adds (or replaces) a node with its aliases; its name resolves in every node from now on. */
    public synchronized void put(String node, List<String> aliases, Inet4Address ipv4, Inet6Address ipv6) {
        List<String> names = new ArrayList<>();
        names.add(node);
        names.addAll(aliases);
        nodes.put(node, new Entry(List.copyOf(names), ipv4, ipv6));
        rewrite();
    }

    public synchronized void remove(String node) {
        if (nodes.remove(node) != null) {
            rewrite();
        }
    }

    /**
     * Keeps the hosts file that {@code path} names now (a node's) current from now on, starting with the content
     * now; the returned handle stops that.
     */
    public synchronized AutoCloseable follow(String path) {
        HostsFile file = new HostsFile(path);
        if (!closed) {
            file.write(content());
            files.add(file);
        }
        return () -> {
            synchronized (this) {
                files.remove(file);
            }
            file.close();
        };
    }

    private void rewrite() {
        if (closed) {
            return;
        }
        String content = content();
        for (HostsFile file : files) {
            file.write(content);
        }
    }

    /** The addresses of {@code name} in this network (IPv4 first), or an empty list; case-insensitive. */
    public synchronized List<InetAddress> lookup(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        if (wanted.endsWith(".")) {
            wanted = wanted.substring(0, wanted.length() - 1);
        }
        if (wanted.equals(HOST_ALIAS)) {
            return List.of(hostV4, hostV6);
        }
        for (Entry entry : nodes.values()) {
            for (String known : entry.names()) {
                if (known.toLowerCase(Locale.ROOT).equals(wanted)) {
                    return List.of(entry.ipv4(), entry.ipv6());
                }
            }
        }
        return List.of();
    }

    /** The name of the node (or the host) at {@code address}, or null. */
    public synchronized String reverse(InetAddress address) {
        if (address.equals(hostV4) || address.equals(hostV6)) {
            return HOST_ALIAS;
        }
        for (Entry entry : nodes.values()) {
            if (address.equals(entry.ipv4()) || address.equals(entry.ipv6())) {
                return entry.names().get(0);
            }
        }
        return null;
    }

    /** Every name known here: node names, aliases and the host alias. */
    public synchronized List<String> names() {
        List<String> all = new ArrayList<>();
        nodes.values().forEach(entry -> all.addAll(entry.names()));
        all.add(HOST_ALIAS);
        return all;
    }

    public String subnet() {
        return subnet;
    }

    /** The hosts file's content now. */
    public synchronized String content() {
        StringBuilder out = new StringBuilder();
        out.append("# Written by Isonet for the nodes of network ").append(subnet).append('\n');
        out.append("127.0.0.1\tlocalhost\n");
        out.append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        for (Entry entry : nodes.values()) {
            out.append(entry.ipv4().getHostAddress()).append('\t').append(String.join(" ", entry.names())).append('\n');
            out.append(entry.ipv6().getHostAddress()).append('\t').append(String.join(" ", entry.names())).append('\n');
        }
        out.append(hostV4.getHostAddress()).append('\t').append(HOST_ALIAS).append('\n');
        out.append(hostV6.getHostAddress()).append('\t').append(HOST_ALIAS).append('\n');
        return out.toString();
    }

    @Override
    public synchronized void close() {
        closed = true;
        files.forEach(HostsFile::close);
        files.clear();
    }
}
