package dev.isonet.internal.faults;

import java.net.Inet4Address;

/** One side of a cut or the link of a loss, as the router sees it. */
public sealed interface Side {
    /**
     * A node: its bridge port (the router's end of its veth), and its IPv4 address, by which the router
     * knows its packets toward external hosts (before masquerade) and their replies (after).
     */
    record Node(int port, Inet4Address ipv4) implements Side {}

    /** The router itself and everything behind its uplink: the host and beyond. */
    record Outside() implements Side {}

    /** A host beyond the uplink, by its address (IPv4: nothing beyond the host is routed over IPv6). */
    record Address(Inet4Address address) implements Side {}
}
