package dev.isonet.internal.faults;

/**
 * Random loss of {@code permille} packets in 1000 on a link ({@link Side.Node} or {@link Side.Outside}), in
 * one direction: egress is what leaves the node (for the outside: what the network sends out through the
 * uplink), ingress what reaches it.
 */
public record Loss(Side link, boolean egress, int permille) {
    public Loss {
        if (!(link instanceof Side.Node) && !(link instanceof Side.Outside)) {
            throw new IllegalArgumentException("loss is on a node's port or on the uplink, not on " + link);
        }
        if (permille < 0 || permille > 1000) {
            throw new IllegalArgumentException("permille " + permille + " must be 0 to 1000");
        }
    }
}
