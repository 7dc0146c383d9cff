package dev.isonet;

/**
 * One end of a network fault: a {@link Node}, an {@link ExternalHost}, or a network's {@link Network#outside()
 * outside} (the host and everything beyond the network's uplink). See {@link Network#partition},
 * {@link Network#block}.
 */
public sealed interface Endpoint permits Node, ExternalHost, Outside {
    /** The name faults call it by: the node's or external host's name, or {@code outside}. */
    String name();
}
