package dev.isonet.assertj;

import dev.isonet.Network;
import dev.isonet.Node;
import org.apiguardian.api.API;

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
 *
 * <p>Reachability assertions probe from threads inside the source node, with real packets, at the moment they
 * run. A failed assertion throws an {@link AssertionError}, as every AssertJ assertion does.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class IsonetAssertions {
    private IsonetAssertions() {}

    /**
     * Assertions about what {@code node} reaches and listens on.
     *
     * <pre>{@code
     * assertThat(client).canReach(server).onTcpPort(8080);
     * }</pre>
     *
     * @param node the node the probes start from; a null one fails each assertion
     * @return assertions about {@code node}
     */
    public static NodeAssert assertThat(Node node) {
        return new NodeAssert(node);
    }

    /**
     * Assertions about which nodes of {@code network} reach which.
     *
     * <pre>{@code
     * assertThat(network).isFullyConnected();
     * }</pre>
     *
     * @param network the network whose nodes are probed; a null one fails each assertion
     * @return assertions about {@code network}
     */
    public static NetworkAssert assertThat(Network network) {
        return new NetworkAssert(network);
    }
}
