package dev.isonet;

import org.apiguardian.api.API;

/**
 * The node (or external host) was closed: thrown by calls made after {@code close()}, and to callers of
 * {@link Node#run} whose task was still running when it closed.
 */
@API(status = API.Status.MAINTAINED, since = "0.1")
public class NodeClosedException extends IllegalStateException {
    /**
     * An exception with this message.
     *
     * @param message which node was closed, and what was called
     */
    public NodeClosedException(String message) {
        super(message);
    }
}
