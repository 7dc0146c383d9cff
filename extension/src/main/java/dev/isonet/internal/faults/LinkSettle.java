package dev.isonet.internal.faults;

import dev.isonet.internal.netlink.Rtnetlink;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;

/**
 * Waits until the kernel has acted on a link going down or up. Taking a veth end down or up changes the
 * carrier of its peer at once, but the kernel acts on a carrier change later, in its link-watch work under
 * the rtnl lock: only then does a bridge disable or enable the peer's port, or a queue stop or start. On a
 * host busy creating and reaping namespaces that took up to 150 ms, and when a link came back up before the
 * kernel had acted on its going down, the port was disabled after the reconnect had returned, and the first
 * ARP frame was dropped: a connect then needed TCP's one-second retransmit (8 of 200 tries). Waiting for the
 * port to be disabled after a disconnect, and forwarding after a reconnect, left 0 of 200.
 */
public final class LinkSettle {
    private static final int IFF_RUNNING = 0x40;
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private LinkSettle() {}

    /** Returns once bridge port {@code index} (in the namespace of {@code rt}) is in {@code state}. */
    public static void awaitPortState(Rtnetlink rt, int index, int state, String what) {
        await(() -> rt.bridgePortState(index), s -> s == state, what, state == Rtnetlink.BR_STATE_FORWARDING
                ? "forwarding" : "disabled");
    }

    /**
     * Returns once link {@code name} is running (or not): the link-watch work sets IFF_RUNNING first and
     * starts or stops the queue after, under the rtnl lock; a change that takes that lock, sent after, returns
     * only once it is done.
     */
    public static void awaitRunning(Rtnetlink rt, String name, boolean running, String what) {
        int[] index = new int[1];
        await(() -> {
            Rtnetlink.Link link = rt.link(name);
            if (link == null) {
                throw new IllegalStateException(what + " (" + name + ") is gone");
            }
            index[0] = link.index();
            return link.flags();
        }, flags -> ((flags & IFF_RUNNING) != 0) == running, what, running ? "running" : "not running");
        rt.apply(Rtnetlink.linkSetUp(index[0])); // it is up already: only the rtnl lock is wanted
    }

    private interface Probe {
        int read();
    }

    private static void await(Probe probe, IntPredicate done, String what, String state) {
        long deadline = System.nanoTime() + LIMIT_NANOS;
        while (!done.test(probe.read())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " is not " + state + " after "
                        + TimeUnit.NANOSECONDS.toSeconds(LIMIT_NANOS) + " s: the kernel has not acted on its carrier");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
