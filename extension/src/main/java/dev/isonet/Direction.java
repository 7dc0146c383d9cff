package dev.isonet;

import org.apiguardian.api.API;

/**
 * Which packets of a {@link Link} a condition applies to, seen from the node.
 *
 * <pre>{@code
 * Fault lossy = node.loss(30, Direction.EGRESS); // reads "loss 30% egress on node a"
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum Direction {
    /** What the node sends (for {@link Network#outside()}: what the network sends out through its uplink). */
    EGRESS,
    /** What the node receives (for {@link Network#outside()}: what comes into the network from outside). */
    INGRESS,
    /** Both: what the node sends and what it receives. */
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
