package dev.isonet.internal.topology;

import dev.isonet.internal.netlink.Rtnetlink;
import dev.isonet.internal.ns.HostNamespaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host namespace as networks see it: one rtnetlink socket opened there, and its IPv6 state. */
final class HostSide {
    private static Rtnetlink rtnetlink;
    private static Boolean ipv6;

    private HostSide() {}

    // Lazy rather than static final: a class initialiser that waits for another thread deadlocks.
    static synchronized Rtnetlink rtnetlink() {
        if (rtnetlink == null) {
            rtnetlink = HostNamespaces.onNewHostThread(() -> Rtnetlink.open("host namespace"));
        }
        return rtnetlink;
    }

    /** Hosts (often containers) may disable IPv6; nodes then still talk IPv6 among themselves. */
    static synchronized boolean ipv6() {
        if (ipv6 == null) {
            ipv6 = HostNamespaces.onNewHostThread(HostSide::ipv6Enabled);
        }
        return ipv6;
    }

    private static boolean ipv6Enabled() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv6/conf/all/disable_ipv6")).strip().equals("0");
        } catch (IOException e) {
            return false;
        }
    }


    /** The index of Isonet's link {@code name} on the host, which a veth request has just made. */
    static int linkIndex(String name) {
        Rtnetlink.Link link = rtnetlink().link(name);
        if (link == null) {
            throw new IllegalStateException("the link " + name + " did not appear on the host");
        }
        return link.index();
    }
}
