package dev.isonet.internal.netlink;

/** A change to send with an ACK, and what to name in the error if the kernel refuses it. */
public record Request(String operation, String object, NetlinkMessage message) {}
