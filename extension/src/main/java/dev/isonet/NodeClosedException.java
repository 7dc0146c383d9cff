package dev.isonet;

/**
 * The node (or external host) was closed: thrown by calls made after {@code close()}, and to callers of
 * {@link Node#run} whose task was still running when it closed.
 */
public class NodeClosedException extends IllegalStateException {
    public NodeClosedException(String message) {
        super(message);
    }
}
