package dev.isonet;

/** Which packets of a {@link Link} a condition applies to, seen from the node. */
public enum Direction {
    /** What the node sends (for {@link Network#outside()}: what the network sends out through its uplink). */
    EGRESS,
    /** What the node receives (for {@link Network#outside()}: what comes into the network from outside). */
    INGRESS,
    /** Both. */
    BOTH;

    boolean overlaps(Direction other) {
        return this == BOTH || other == BOTH || this == other;
    }

    String text() {
        return switch (this) {
            case EGRESS -> "egress";
            case INGRESS -> "ingress";
            case BOTH -> "both ways";
        };
    }
}
