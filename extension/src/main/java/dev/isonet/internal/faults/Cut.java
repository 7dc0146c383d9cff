package dev.isonet.internal.faults;

/**
 * Packets from {@code from} to {@code to} are dropped; the other way is a cut of its own. A cut between two
 * sides of which neither is a {@link Side.Node} does not pass through the network and changes nothing.
 */
public record Cut(Side from, Side to) {}
