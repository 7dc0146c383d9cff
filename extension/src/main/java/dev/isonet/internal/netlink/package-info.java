/**
 * Not API. Netlink wire primitives (message, attribute, socket) and the two clients built on them:
 * {@link dev.isonet.internal.netlink.Rtnetlink} for links, addresses and routes, and
 * {@link dev.isonet.internal.netlink.NfTables} for nf_tables tables, chains and rules.
 */
package dev.isonet.internal.netlink;
