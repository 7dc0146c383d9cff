package dev.isonet;

import org.apiguardian.api.API;

/**
 * One end of a network fault: a {@link Node}, an {@link ExternalHost}, or a network's {@link Network#outside()
 * outside} (the host and everything beyond the network's uplink). See {@link Network#partition},
 * {@link Network#block}.
 *
 * <pre>{@code
 * network.partition(List.of(a, b), List.of(c, network.outside()));
 * network.block(a, network.outside());
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public sealed interface Endpoint permits Node, ExternalHost, Outside {
    /**
     * The name faults call it by, in their {@code toString()}.
     *
     * @return the node's or external host's name, or {@code outside}
     */
    String name();
}
