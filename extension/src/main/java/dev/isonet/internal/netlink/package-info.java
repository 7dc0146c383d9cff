/**
 * Not API. Netlink wire primitives (message, attribute, socket) and the clients built on them:
 * {@link dev.isonet.internal.netlink.Rtnetlink} for links, addresses, routes and neighbours,
 * {@link dev.isonet.internal.netlink.TrafficControl} for qdiscs and classes (applied through rtnetlink),
 * {@link dev.isonet.internal.netlink.NfTables} for nf_tables tables, chains and rules,
 * {@link dev.isonet.internal.netlink.SockDiag} for a namespace's sockets (list, destroy), and
 * {@link dev.isonet.internal.netlink.NfQueue} for packets queued to the JVM and their verdicts.
 */
package dev.isonet.internal.netlink;
