package dev.isonet.internal.faults;

import dev.isonet.internal.netlink.NfQueue;
import dev.isonet.internal.netlink.NfTables;
import dev.isonet.internal.ns.HostNamespaces;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * One namespace that delays packets without netem: its {@link DelayTable}, the queue socket bound there, and
 * the host thread that reads the queue. Both sockets were made inside the namespace and belong to it; the
 * thread never enters it. The reader hands each packet to the network's {@link DelayLine} with the time it
 * is due, or accepts it at once when it has no delay (any more).
 *
 * <p>The queue's socket keeps the namespace alive: {@link #close()} wakes the reader, which closes it on its
 * way out, without making the caller wait.
 */
public final class DelayNamespace implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DelayNamespace.class.getName());
    /** A reader not woken by close() still notices it within this time. */
    private static final long RECEIVE_TIMEOUT_MILLIS = 1000;
    private static final long PAUSE_AFTER_FAILURE_NANOS = 10_000_000;

    private final String what;
    private final NfTables nft;
    private final NfQueue queue;
    private final DelayTable.Place place;
    private final Delays.Role role;
    private final DelayLine line;
    private DelayTable.Content content;
    private volatile boolean closed;

    private DelayNamespace(String what, NfTables nft, NfQueue queue, DelayTable.Place place, Delays.Role role,
                           DelayLine line) {
        this.what = what;
        this.nft = nft;
        this.queue = queue;
        this.place = place;
        this.role = role;
        this.line = line;
    }

    private record Sockets(NfTables nft, NfQueue queue) {}

    /**
     * Opens the sockets inside network namespace {@code netFd} ({@code what} names it), binds the queue,
     * makes the table with {@code content} in one batch, and starts the reader.
     */
    public static DelayNamespace open(int netFd, String what, DelayTable.Place place, Delays.Role role,
                                      DelayLine line, DelayTable.Content content) {
        Sockets sockets = HostNamespaces.inNetwork(netFd, what, () -> {
            NfTables nft = NfTables.open(what);
            try {
                // Metadata only: no packet is copied. GSO packets are queued whole, one verdict each.
                return new Sockets(nft, NfQueue.open(DelayTable.QUEUE, NfQueue.NFQNL_COPY_META, 0,
                        DelayTable.MAX_HELD, NfQueue.NFQA_CFG_F_GSO, RECEIVE_TIMEOUT_MILLIS, what));
            } catch (RuntimeException e) {
                nft.close();
                throw e;
            }
        });
        DelayNamespace namespace = new DelayNamespace(what, sockets.nft(), sockets.queue(), place, role, line);
        try {
            NfTables.Batch batch = sockets.nft().batch();
            DelayTable.prepare(batch, place, content);
            batch.commit();
        } catch (RuntimeException e) {
            sockets.nft().close();
            sockets.queue().close();
            throw e;
        }
        namespace.content = content;
        HostNamespaces.newHostThread("isonet-delay-reader-" + what.replace(' ', '-').replace("'", ""),
                namespace::read).start();
        return namespace;
    }

    /** Makes the table hold {@code next}, in one transaction (none if nothing changes). */
    public synchronized void update(DelayTable.Content next) {
        NfTables.Batch batch = nft.batch();
        if (DelayTable.writeChanges(batch, place, content, next) > 0) {
            batch.commit();
        }
        content = next;
    }

    public synchronized DelayTable.Content content() {
        return content;
    }

    private void read() {
        SplittableRandom random = new SplittableRandom();
        try {
            while (!closed) {
                List<NfQueue.Packet> packets;
                try {
                    packets = queue.receive();
                } catch (RuntimeException e) {
                    if (closed) {
                        break;
                    }
                    LOG.log(System.Logger.Level.WARNING, () -> "isonet: reading the delay queue of " + what
                            + " failed: " + e.getMessage());
                    LockSupport.parkNanos(PAUSE_AFTER_FAILURE_NANOS);
                    continue;
                }
                long now = System.nanoTime();
                Delays delays = line.delays();
                for (NfQueue.Packet packet : packets) {
                    long nanos = delays.nanos(role, packet, random);
                    if (nanos <= 0) {
                        DelayLine.accept(queue, packet.id());
                    } else {
                        line.hold(now + nanos, queue, packet.id());
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            // The rule's bypass flag lets packets pass, undelayed, once the socket is closed.
            LOG.log(System.Logger.Level.ERROR, "isonet: the delay queue reader of " + what + " failed; its packets"
                    + " now pass without delay", e);
        } finally {
            nft.close();
            queue.close();
        }
    }

    /**
     * Removes the table (one batch: a namespace that outlives its network, such as a router kept for reuse,
     * keeps nothing of it), then stops the reader, which closes both sockets. Does not wait for the reader.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            nft.batch().tableDel(NfTables.FAMILY_INET, DelayTable.TABLE).commit();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "isonet: removing the delay table of " + what + ": "
                    + e.getMessage());
        }
        closed = true;
        try {
            queue.wake();
        } catch (RuntimeException e) {
            // closed already: the reader is gone
        }
    }
}
