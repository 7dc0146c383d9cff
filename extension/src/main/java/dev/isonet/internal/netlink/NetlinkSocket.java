package dev.isonet.internal.netlink;

import dev.isonet.internal.linux.LibC;
import dev.isonet.internal.linux.LinuxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A netlink socket. It acts on the namespace of the thread that opened it, whichever thread uses it later.
 * Every change asks for an ACK; replies are matched by sequence number; errors carry the extended ACK.
 */
public final class NetlinkSocket implements AutoCloseable {
    public static final int NETLINK_ROUTE = 0;
    public static final int NETLINK_SOCK_DIAG = 4;
    public static final int NETLINK_NETFILTER = 12;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    private static final int NLM_F_DUMP_INTR = 0x10;
    private static final int RECEIVE_TIMEOUT_SECONDS = 10;
    private static final int DUMP_ATTEMPTS = 10;
    private static final ThreadLocal<byte[]> RECEIVE_BUFFER = ThreadLocal.withInitial(() -> new byte[64 * 1024]);

    private final int fd;
    private final String where;
    private int sequence;
    private volatile boolean closed;
    /** Held by {@link #post} and {@link #close}, so that a post never sends on a closed (and reused) fd number. */
    private final Object postLock = new Object();

    private NetlinkSocket(int fd, String where) {
        this.fd = fd;
        this.where = where;
    }

    /** Opens a socket in the calling thread's network namespace, which {@code where} names in errors. */
    public static NetlinkSocket open(int protocol, String where) {
        return open(protocol, 0, RECEIVE_TIMEOUT_SECONDS * 1000L, where);
    }

    /**
     * Opens a socket whose {@link #events} waits at most {@code timeoutMillis}: for a reader of unicast
     * messages the kernel sends on its own, such as queued packets.
     */
    public static NetlinkSocket open(int protocol, long timeoutMillis, String where) {
        return open(protocol, 0, timeoutMillis, where);
    }

    /**
     * Opens a socket that listens to the multicast {@code groups} (a bit mask, such as RTMGRP_LINK = 1) in
     * the calling thread's namespace; {@link #events} waits at most {@code timeoutMillis} for them.
     */
    public static NetlinkSocket subscribe(int protocol, int groups, long timeoutMillis, String where) {
        return open(protocol, groups, timeoutMillis, where);
    }

    private static NetlinkSocket open(int protocol, int groups, long timeoutMillis, String where) {
        String what = "netlink socket in " + where;
        int fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol, what);
        try {
            byte[] one = intBytes(1);
            LibC.setsockopt(fd, LibC.SOL_NETLINK, LibC.NETLINK_EXT_ACK, one, what);
            LibC.setsockopt(fd, LibC.SOL_NETLINK, LibC.NETLINK_CAP_ACK, one, what);
            LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO,
                    ByteBuffer.allocate(16).order(ByteOrder.nativeOrder())
                            .putLong(timeoutMillis / 1000).putLong((timeoutMillis % 1000) * 1000).array(), what);
            byte[] address = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder())
                    .putShort((short) LibC.AF_NETLINK).putShort((short) 0).putInt(0).putInt(groups).array();
            LibC.bind(fd, address, what);
            return new NetlinkSocket(fd, where);
        } catch (RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    private static byte[] intBytes(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    public String where() {
        return where;
    }

    /** Sets an integer socket option, such as SO_RCVBUF or NETLINK_NO_ENOBUFS. */
    public synchronized void setOption(int level, int name, int value) {
        ensureOpen();
        LibC.setsockopt(fd, level, name, intBytes(value), "netlink socket in " + where);
    }

    /** Sends one change and waits for its ACK. */
    public void request(String operation, String object, NetlinkMessage message) {
        transact(List.of(new Request(operation, object, message)), null, null);
    }

    /**
     * Sends all requests in one datagram and waits for every ACK. The kernel handles them in order; the first
     * refusal is thrown once all answers are in, so the socket stays in step.
     */
    public void transact(List<Request> requests, NetlinkMessage prefix, NetlinkMessage suffix) {
        transact(requests, prefix, suffix, null);
    }

    /**
     * Like {@link #transact(List, NetlinkMessage, NetlinkMessage)}, handing messages that are not answers
     * (such as packets of a queue that were sent in between) to {@code unrelated} instead of dropping them.
     */
    public void transact(List<Request> requests, NetlinkMessage prefix, NetlinkMessage suffix,
                         Consumer<Reply> unrelated) {
        transact(requests, prefix, suffix, unrelated, errno -> false);
    }

    /**
     * Like {@link #transact(List, NetlinkMessage, NetlinkMessage, Consumer)}, where a request the kernel refuses
     * with an errno that {@code tolerated} accepts counts as done: for changes to objects that may be gone
     * meanwhile ("already gone" is fine).
     */
    public synchronized void transact(List<Request> requests, NetlinkMessage prefix, NetlinkMessage suffix,
                                      Consumer<Reply> unrelated, java.util.function.IntPredicate tolerated) {
        ensureOpen();
        int first = sequence + 1;
        List<byte[]> parts = new ArrayList<>(requests.size() + 2);
        int total = 0;
        if (prefix != null) {
            parts.add(prefix.toBytes(++sequence));
        }
        int firstRequest = sequence + 1;
        for (Request request : requests) {
            parts.add(request.message().toBytes(++sequence));
        }
        if (suffix != null) {
            parts.add(suffix.toBytes(++sequence));
        }
        for (byte[] part : parts) {
            total += part.length;
        }
        byte[] datagram = new byte[total];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, datagram, at, part.length);
            at += part.length;
        }
        LibC.send(fd, datagram, datagram.length, "netlink socket in " + where);
        awaitAcks(requests, firstRequest, first, unrelated, tolerated);
    }

    private void awaitAcks(List<Request> requests, int firstRequest, int firstSequence, Consumer<Reply> unrelated,
                           java.util.function.IntPredicate tolerated) {
        int pending = requests.size();
        LinuxException refusal = null;
        while (pending > 0) {
            for (Reply reply : receive(requests.isEmpty() ? null : requests.get(0))) {
                int seq = reply.sequence();
                if (reply.type() != NLMSG_ERROR || seq < firstSequence || seq > sequence) {
                    if (unrelated != null) {
                        unrelated.accept(reply);
                    }
                    continue;
                }
                int index = seq - firstRequest;
                if (index >= 0 && index < requests.size()) {
                    pending--;
                    if (reply.errno() != 0 && refusal == null && !tolerated.test(reply.errno())) {
                        Request request = requests.get(index);
                        refusal = new LinuxException(request.operation(), request.object() + " (" + where + ")",
                                reply.errno(), reply.extendedAck());
                    }
                } else if (reply.errno() != 0) {
                    // The batch itself was refused: no per-request answers will follow.
                    throw new LinuxException("netlink batch", where, reply.errno(), reply.extendedAck());
                }
            }
        }
        if (refusal != null) {
            throw refusal;
        }
    }

    /** One datagram's messages; a receive timeout fails, naming what was awaited. */
    private List<Reply> receive(Request waitingFor) {
        try {
            return Reply.split(RECEIVE_BUFFER.get(), LibC.recv(fd, RECEIVE_BUFFER.get(), "netlink socket in " + where));
        } catch (LinuxException e) {
            if (e.errno() == LinuxException.EAGAIN) {
                String what = waitingFor == null ? "a reply" : "the reply to " + waitingFor.operation();
                throw new LinuxException("waiting " + RECEIVE_TIMEOUT_SECONDS + " s for " + what, where, e.errno(),
                        "no answer from the kernel");
            }
            throw e;
        }
    }

    /**
     * The multicast messages of one datagram, or none once the receive timeout passed. Throws ENOBUFS when
     * the kernel dropped events because the socket fell behind.
     */
    public synchronized List<Reply> events() {
        ensureOpen();
        try {
            return Reply.split(RECEIVE_BUFFER.get(), LibC.recv(fd, RECEIVE_BUFFER.get(), "netlink socket in " + where));
        } catch (LinuxException e) {
            if (e.errno() == LinuxException.EAGAIN) {
                return List.of();
            }
            throw e;
        }
    }

    /**
     * The messages of one datagram received into {@code buffer} (for messages larger than the shared 64 KiB
     * buffer), or none once the receive timeout passed.
     */
    public synchronized List<Reply> events(byte[] buffer) {
        ensureOpen();
        try {
            return Reply.split(buffer, LibC.recv(fd, buffer, "netlink socket in " + where));
        } catch (LinuxException e) {
            if (e.errno() == LinuxException.EAGAIN) {
                return List.of();
            }
            throw e;
        }
    }

    /**
     * Sends one message without waiting for anything, with sequence number 0, while another thread may be
     * waiting in {@link #events}: for messages the kernel answers only when it refuses them, such as queue
     * verdicts. A refusal then arrives among the events as an NLMSG_ERROR.
     */
    public void post(NetlinkMessage message) {
        byte[] bytes = message.toBytes(0);
        synchronized (postLock) {
            ensureOpen();
            LibC.send(fd, bytes, bytes.length, "netlink socket in " + where);
        }
    }

    private int send(NetlinkMessage message) {
        int seq = ++sequence;
        byte[] request = message.toBytes(seq);
        LibC.send(fd, request, request.length, "netlink socket in " + where);
        return seq;
    }

    /** Sends a request that expects one reply (a get, not a dump) and returns it. */
    public synchronized Reply query(String operation, String object, NetlinkMessage message) {
        ensureOpen();
        int seq = send(message);
        while (true) {
            for (Reply reply : receive(null)) {
                if (reply.sequence() == seq) {
                    if (reply.type() == NLMSG_ERROR) {
                        throw new LinuxException(operation, object + " (" + where + ")", reply.errno(),
                                reply.extendedAck());
                    }
                    return reply;
                }
            }
        }
    }

    /** Sends a dump request and returns every reply, retrying when the kernel flags the dump interrupted. */
    public synchronized List<Reply> dump(String operation, NetlinkMessage message) {
        ensureOpen();
        for (int attempt = 1; ; attempt++) {
            int seq = send(message);
            List<Reply> replies = new ArrayList<>();
            boolean interrupted = false;
            boolean done = false;
            while (!done) {
                for (Reply reply : receive(null)) {
                    if (reply.sequence() != seq) {
                        continue;
                    }
                    interrupted |= (reply.flags() & NLM_F_DUMP_INTR) != 0;
                    if (reply.type() == NLMSG_DONE) {
                        done = true;
                    } else if (reply.type() == NLMSG_ERROR) {
                        throw new LinuxException(operation, where, reply.errno(), reply.extendedAck());
                    } else {
                        replies.add(reply);
                    }
                }
            }
            if (!interrupted || attempt == DUMP_ATTEMPTS) {
                return replies;
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("netlink socket in " + where + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        synchronized (postLock) {
            if (!closed) {
                closed = true;
                LibC.close(fd);
            }
        }
    }
}
