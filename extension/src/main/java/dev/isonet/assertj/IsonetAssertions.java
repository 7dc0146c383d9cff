package dev.isonet.assertj;

import dev.isonet.Network;
import dev.isonet.Node;

/**
 * The entry point of Isonet's AssertJ assertions: what a node can reach, on which protocol, whether it listens,
 * and a whole network's reachability as a table. Failure messages name the source, the target, the protocol,
 * what happened (refused, timed out, unreachable, reset) and the faults active on the network at that moment.
 *
 * <pre>{@code
 * import static dev.isonet.assertj.IsonetAssertions.assertThat;
 *
 * assertThat(client).canReach(server).onTcpPort(8080);
 * assertThat(client).cannotReach(network.outside()).viaIcmp();
 * assertThat(server).isListeningOn(8080);
 * assertThat(network).onUdpPort(9000).isPartitionedAs(List.of(a, b), List.of(c));
 * }</pre>
 */
public final class IsonetAssertions {
    private IsonetAssertions() {}

    /** Assertions about what {@code node} reaches and listens on. */
    public static NodeAssert assertThat(Node node) {
        return new NodeAssert(node);
    }

    /** Assertions about which nodes of {@code network} reach which. */
    public static NetworkAssert assertThat(Network network) {
        return new NetworkAssert(network);
    }
}
