package dev.isonet.internal.faults;

import dev.isonet.internal.netlink.NfQueue;
import dev.isonet.internal.ns.HostNamespaces;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The packets one network holds for their delay, without netem: each waits in the kernel's queue of its
 * namespace while this object holds its id and the time it is due, and one host thread per network gives it
 * NF_ACCEPT then. Packets due at the same time leave in the order they arrived, so without jitter a flow
 * keeps its order; with jitter each packet's draw decides, and packets of a flow may pass each other, as
 * with netem.
 *
 * <p>Packets that leave together leave in one verdict where that is safe: a batch verdict accepts every
 * packet of the queue up to an id, so it is sent for the longest run of released packets at the head of
 * each queue's held packets, in id order (packets the reader accepted at once are gone already; ids of
 * packets not read yet are larger). Packets released out of order get a verdict each.
 */
public final class DelayLine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DelayLine.class.getName());

    private static final class Held {
        final long due;
        final long sequence;
        final NfQueue queue;
        final int id;
        boolean released;

        Held(long due, long sequence, NfQueue queue, int id) {
            this.due = due;
            this.sequence = sequence;
            this.queue = queue;
            this.id = id;
        }

        long due() {
            return due;
        }

        long sequence() {
            return sequence;
        }
    }

    private static final Comparator<Held> ORDER = Comparator.comparingLong(Held::due)
            .thenComparingLong(Held::sequence);

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Held> held = new PriorityQueue<>(ORDER);
    /** Each queue's held packets in id order (the reader hands them over in that order). */
    private final Map<NfQueue, ArrayDeque<Held>> byQueue = new IdentityHashMap<>();
    private volatile Delays delays = Delays.NONE;
    private long sequence;
    private boolean closed;
    private Thread releaser;

    /** {@code name} names the thread: the network's subnet. */
    public DelayLine(String name) {
        this.name = name;
    }

    /** The delays that packets queued from now on get; packets already held keep theirs. */
    public void delays(Delays delays) {
        this.delays = delays;
    }

    public Delays delays() {
        return delays;
    }

    /** Holds packet {@code id} of {@code queue} until {@code due} (System.nanoTime()), then accepts it. */
    public void hold(long due, NfQueue queue, int id) {
        lock.lock();
        try {
            if (closed) {
                return; // its namespace's socket closes, and the kernel drops the packet with it
            }
            if (releaser == null) {
                releaser = HostNamespaces.newHostThread("isonet-delay-" + name, this::release);
                releaser.start();
            }
            Held packet = new Held(due, sequence++, queue, id);
            held.add(packet);
            byQueue.computeIfAbsent(queue, q -> new ArrayDeque<>()).add(packet);
            if (held.peek() == packet) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Packets held now: for tests and the bench. */
    public int held() {
        lock.lock();
        try {
            return held.size();
        } finally {
            lock.unlock();
        }
    }

    private void release() {
        List<Held> due = new ArrayList<>();
        Map<NfQueue, Integer> batches = new IdentityHashMap<>();
        while (true) {
            lock.lock();
            try {
                while (!closed && (held.isEmpty() || held.peek().due() > System.nanoTime())) {
                    if (held.isEmpty()) {
                        changed.awaitUninterruptibly();
                    } else {
                        changed.awaitNanos(held.peek().due() - System.nanoTime());
                    }
                }
                if (closed) {
                    return;
                }
                long now = System.nanoTime();
                while (!held.isEmpty() && held.peek().due() <= now) {
                    Held packet = held.poll();
                    packet.released = true;
                    due.add(packet);
                }
                for (Held packet : due) {
                    ArrayDeque<Held> queue = byQueue.get(packet.queue);
                    Held last = null;
                    while (queue != null && !queue.isEmpty() && queue.peekFirst().released) {
                        last = queue.pollFirst();
                    }
                    if (last != null) {
                        batches.merge(packet.queue, last.id, Math::max);
                    }
                    if (queue != null && queue.isEmpty()) {
                        byQueue.remove(packet.queue);
                    }
                }
            } catch (InterruptedException e) {
                continue; // only close() ends this thread
            } finally {
                lock.unlock();
            }
            batches.forEach(DelayLine::acceptUpTo);
            for (Held packet : due) {
                Integer batch = batches.get(packet.queue);
                if (batch == null || Integer.compareUnsigned(packet.id, batch) > 0) {
                    accept(packet.queue, packet.id); // released ahead of an older packet of its queue
                }
            }
            due.clear();
            batches.clear();
        }
    }

    /** NF_ACCEPT for every packet of {@code queue} up to id {@code id}, in one message. */
    private static void acceptUpTo(NfQueue queue, int id) {
        try {
            queue.verdictBatch(id, NfQueue.NF_ACCEPT);
        } catch (IllegalStateException closed) {
            // the node or network closed while the packets were held
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, () -> "isonet: could not release delayed packets: " + e.getMessage());
        }
    }

    /** NF_ACCEPT for one packet; nothing if its namespace's queue has closed meanwhile (the packet went with it). */
    static void accept(NfQueue queue, int id) {
        try {
            queue.verdict(id, NfQueue.NF_ACCEPT);
        } catch (IllegalStateException closed) {
            // the node or network closed while the packet was held
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, () -> "isonet: could not release a delayed packet: " + e.getMessage());
        }
    }

    /** Ends the thread; packets still held are dropped with their namespaces' sockets. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            held.clear();
            byQueue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
