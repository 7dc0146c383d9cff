package dev.isonet.internal.netlink;

import dev.isonet.internal.linux.LibC;
import dev.isonet.internal.linux.LinuxException;
import java.util.ArrayList;
import java.util.List;

/**
 * One nfnetlink_queue queue (NETLINK_NETFILTER, subsystem NFNL_SUBSYS_QUEUE) bound to a socket of one
 * namespace: the packets that an NFQUEUE rule of that namespace queues come here, and each waits in the
 * kernel until it gets its verdict (linux/netfilter/nfnetlink_queue.h). Integers are big-endian.
 *
 * <p>One thread receives ({@link #receive}); any thread may give verdicts meanwhile. Configuration is
 * acknowledged; verdicts are not (as libnetfilter_queue sends them): the kernel answers only a refused
 * verdict, and {@link #receive} logs and counts those. Closing the socket unbinds the queue, and the kernel
 * drops the packets still waiting for a verdict.
 */
public final class NfQueue implements AutoCloseable {
    static final int NFNL_SUBSYS_QUEUE = 3;
    static final int NFQNL_MSG_PACKET = 0;
    static final int NFQNL_MSG_VERDICT = 1;
    static final int NFQNL_MSG_CONFIG = 2;
    static final int NFQNL_MSG_VERDICT_BATCH = 3;
    static final int NFQA_PACKET_HDR = 1;
    static final int NFQA_VERDICT_HDR = 2;
    static final int NFQA_MARK = 3;
    static final int NFQA_IFINDEX_INDEV = 5;
    static final int NFQA_IFINDEX_OUTDEV = 6;
    static final int NFQA_HWADDR = 9;
    static final int NFQA_PAYLOAD = 10;
    static final int NFQA_CAP_LEN = 13;
    static final int NFQA_SKB_INFO = 14;
    static final int NFQA_CFG_CMD = 1;
    static final int NFQA_CFG_PARAMS = 2;
    static final int NFQA_CFG_QUEUE_MAXLEN = 3;
    static final int NFQA_CFG_MASK = 4;
    static final int NFQA_CFG_FLAGS = 5;
    static final int NFQNL_CFG_CMD_BIND = 1;
    static final int NFQNL_CFG_CMD_UNBIND = 2;
    /** Copy modes: nothing but metadata, or the packet up to the copy range. */
    public static final int NFQNL_COPY_META = 1;
    public static final int NFQNL_COPY_PACKET = 2;
    /** Verdicts (linux/netfilter.h). */
    public static final int NF_DROP = 0;
    public static final int NF_ACCEPT = 1;
    /** Queue flags: accept instead of drop when the queue is full; hand over GSO packets unsegmented. */
    public static final int NFQA_CFG_F_FAIL_OPEN = 1;
    public static final int NFQA_CFG_F_GSO = 4;
    /** Hooks (linux/netfilter.h), as a packet reports where it was queued. */
    public static final int NF_INET_PRE_ROUTING = 0;
    public static final int NF_INET_LOCAL_IN = 1;
    public static final int NF_INET_FORWARD = 2;
    public static final int NF_INET_LOCAL_OUT = 3;
    public static final int NF_INET_POST_ROUTING = 4;
    private static final int SO_RCVBUF = 8;
    private static final int NETLINK_NO_ENOBUFS = 5;
    private static final int CONFIG = NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK;
    private static final System.Logger LOG = System.getLogger(NfQueue.class.getName());

    private final NetlinkSocket socket;
    private final int queue;
    private final byte[] buffer;
    private final List<Packet> backlog = new ArrayList<>();
    private volatile long refusedVerdicts;

    private NfQueue(NetlinkSocket socket, int queue, int bufferSize) {
        this.socket = socket;
        this.queue = queue;
        this.buffer = new byte[bufferSize];
    }

    /**
     * Binds queue {@code queue} to a new socket in the calling thread's network namespace and configures it:
     * {@code copyMode} with {@code copyRange} bytes of each packet, at most {@code maxLength} packets waiting
     * (the kernel's default is 1024), and {@code flags} (such as {@link #NFQA_CFG_F_FAIL_OPEN}).
     * {@link #receive} waits at most {@code receiveTimeoutMillis}; closing waits for a receive under way.
     * Fails with an {@link IllegalStateException} if another socket holds the queue (the kernel answers
     * EPERM, as it does to a process without CAP_NET_ADMIN).
     */
    public static NfQueue open(int queue, int copyMode, int copyRange, int maxLength, int flags,
                               long receiveTimeoutMillis, String where) {
        NetlinkSocket socket = NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER, receiveTimeoutMillis, where);
        try {
            // Room for the largest message: the copied payload plus the attributes around it.
            NfQueue nfQueue = new NfQueue(socket, queue, Math.max(64 * 1024, copyRange + 4096));
            socket.setOption(LibC.SOL_SOCKET, SO_RCVBUF, 1 << 20);
            socket.setOption(LibC.SOL_NETLINK, NETLINK_NO_ENOBUFS, 1);
            socket.transact(List.of(bind(queue), params(queue, copyMode, copyRange), maxLength(queue, maxLength),
                    flags(queue, NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_GSO, flags)), null, null, nfQueue::keep);
            return nfQueue;
        } catch (LinuxException e) {
            socket.close();
            if (e.errno() == LinuxException.EPERM) {
                throw new IllegalStateException("cannot bind nfqueue " + queue + " in " + where + ": another socket"
                        + " holds it, or this process lacks CAP_NET_ADMIN (the kernel answers EPERM to both)", e);
            }
            throw e;
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public int queue() {
        return queue;
    }

    private static NetlinkMessage nfgen(int type, int flags, int queue) {
        return NetlinkMessage.of((NFNL_SUBSYS_QUEUE << 8) | type, flags)
                .u8(0).u8(0).u8(queue >> 8).u8(queue);              // nfgenmsg: AF_UNSPEC, NFNETLINK_V0, res_id (BE)
    }

    /** Equivalent to: {@code nfq_nlmsg_cfg_put_cmd(nlh, AF_UNSPEC, NFQNL_CFG_CMD_BIND)}: this socket takes the queue. */
    public static Request bind(int queue) {
        return new Request("bind", "queue " + queue, nfgen(NFQNL_MSG_CONFIG, CONFIG, queue)
                .attr(NFQA_CFG_CMD, new byte[] {NFQNL_CFG_CMD_BIND, 0, 0, 0}));
    }

    /** Equivalent to: {@code nfq_nlmsg_cfg_put_cmd(nlh, AF_UNSPEC, NFQNL_CFG_CMD_UNBIND)}. */
    public static Request unbind(int queue) {
        return new Request("unbind", "queue " + queue, nfgen(NFQNL_MSG_CONFIG, CONFIG, queue)
                .attr(NFQA_CFG_CMD, new byte[] {NFQNL_CFG_CMD_UNBIND, 0, 0, 0}));
    }

    /** Equivalent to: {@code nfq_nlmsg_cfg_put_params(nlh, mode, range)}: a packed be32 range and a u8 mode. */
    public static Request params(int queue, int copyMode, int copyRange) {
        byte[] params = {(byte) (copyRange >>> 24), (byte) (copyRange >>> 16), (byte) (copyRange >>> 8),
                (byte) copyRange, (byte) copyMode};
        return new Request("set copy mode " + copyMode + " range " + copyRange, "queue " + queue,
                nfgen(NFQNL_MSG_CONFIG, CONFIG, queue).attr(NFQA_CFG_PARAMS, params));
    }

    /** Equivalent to: {@code nfq_nlmsg_cfg_put_qmaxlen(nlh, length)}. */
    public static Request maxLength(int queue, int length) {
        return new Request("set max length " + length, "queue " + queue,
                nfgen(NFQNL_MSG_CONFIG, CONFIG, queue).attrBe32(NFQA_CFG_QUEUE_MAXLEN, length));
    }

    /** Equivalent to: {@code mnl_attr_put_u32(nlh, NFQA_CFG_FLAGS, htonl(flags))} and the same for the mask. */
    public static Request flags(int queue, int mask, int flags) {
        return new Request("set flags " + flags, "queue " + queue, nfgen(NFQNL_MSG_CONFIG, CONFIG, queue)
                .attrBe32(NFQA_CFG_FLAGS, flags).attrBe32(NFQA_CFG_MASK, mask));
    }

    /** Equivalent to: {@code nfq_nlmsg_verdict_put(nlh, id, verdict)} in an NFQNL_MSG_VERDICT: one packet. */
    public static NetlinkMessage verdict(int queue, int id, int verdict) {
        return nfgen(NFQNL_MSG_VERDICT, NetlinkMessage.NLM_F_REQUEST, queue).attr(NFQA_VERDICT_HDR, verdictHeader(verdict, id));
    }

    /** The same in an NFQNL_MSG_VERDICT_BATCH: every waiting packet of the queue with an id up to {@code id}. */
    public static NetlinkMessage verdictBatch(int queue, int id, int verdict) {
        return nfgen(NFQNL_MSG_VERDICT_BATCH, NetlinkMessage.NLM_F_REQUEST, queue)
                .attr(NFQA_VERDICT_HDR, verdictHeader(verdict, id));
    }

    private static byte[] verdictHeader(int verdict, int id) {
        return new byte[] {(byte) (verdict >>> 24), (byte) (verdict >>> 16), (byte) (verdict >>> 8), (byte) verdict,
                (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
    }

    /**
     * A queued packet. {@code hwProtocol} is the EtherType (0x0800 IPv4, 0x86dd IPv6), {@code hook} where it
     * was queued (NF_INET_*), {@code length} its full length, {@code payload} the copied bytes (null in
     * META mode; shorter than {@code length} when the copy range cut it), interfaces 0 when none.
     * {@code hwAddress} is the link-layer source address of a received packet (an Ethernet frame's source
     * MAC), null for packets the host sends.
     */
    public record Packet(int queue, int id, int hwProtocol, int hook, int inIndex, int outIndex, int mark,
                         int length, byte[] payload, byte[] hwAddress) {}

    /** An NFQNL_MSG_PACKET message as a {@link Packet}. */
    static Packet packet(Reply reply) {
        int queue = reply.headerU16(2);
        queue = ((queue & 0xff) << 8) | (queue >>> 8);                // res_id is big-endian
        Attributes a = reply.attributes(4);
        byte[] header = a.bytes(NFQA_PACKET_HDR);
        int id = ((header[0] & 0xff) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
        int hwProtocol = ((header[4] & 0xff) << 8) | (header[5] & 0xff);
        byte[] payload = a.bytes(NFQA_PAYLOAD);
        int length = a.be32(NFQA_CAP_LEN, payload == null ? 0 : payload.length);
        // struct nfqnl_msg_packet_hw: be16 hw_addrlen, u16 pad, u8 hw_addr[8]
        byte[] hw = a.bytes(NFQA_HWADDR);
        byte[] hwAddress = null;
        if (hw != null && hw.length >= 4) {
            int hwLength = Math.min(((hw[0] & 0xff) << 8) | (hw[1] & 0xff), hw.length - 4);
            hwAddress = java.util.Arrays.copyOfRange(hw, 4, 4 + hwLength);
        }
        return new Packet(queue, id, hwProtocol, header[6] & 0xff, a.be32(NFQA_IFINDEX_INDEV, 0),
                a.be32(NFQA_IFINDEX_OUTDEV, 0), a.be32(NFQA_MARK, 0), length, payload, hwAddress);
    }

    /**
     * The packets of one received datagram, or none once the receive timeout passed. Only one thread may
     * receive at a time.
     */
    public List<Packet> receive() {
        List<Packet> packets;
        synchronized (backlog) {
            packets = new ArrayList<>(backlog);
            backlog.clear();
        }
        if (!packets.isEmpty()) {
            return packets;
        }
        for (Reply reply : socket.events(buffer)) {
            keep(reply, packets);
        }
        return packets;
    }

    private void keep(Reply reply) {
        synchronized (backlog) {
            keep(reply, backlog);
        }
    }

    private void keep(Reply reply, List<Packet> into) {
        if (reply.type() == ((NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET)) {
            into.add(packet(reply));
        } else if (reply.type() == NetlinkSocket.NLMSG_ERROR && reply.errno() != 0) {
            refusedVerdicts++;
            // ENOENT: the kernel no longer holds the packet; it drops held packets whose interface went down.
            LOG.log(reply.errno() == LinuxException.ENOENT ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                    () -> new LinuxException("verdict", "queue " + queue + " (" + socket.where() + ")", reply.errno(),
                            reply.extendedAck()).getMessage());
        }
    }

    /** Verdicts the kernel refused so far (for a packet id it no longer holds, for example). */
    public long refusedVerdicts() {
        return refusedVerdicts;
    }

    /** Gives one packet its verdict ({@link #NF_ACCEPT} or {@link #NF_DROP}); any thread may call it. */
    public void verdict(int id, int verdict) {
        socket.post(verdict(queue, id, verdict));
    }

    /** Gives every waiting packet with an id up to {@code id} the same verdict, in one message. */
    public void verdictBatch(int id, int verdict) {
        socket.post(verdictBatch(queue, id, verdict));
    }

    /**
     * Makes a {@link #receive} under way on another thread return now rather than at its timeout: posts a
     * configuration change that changes nothing (a flags mask of 0), whose acknowledgement wakes the receive.
     */
    public void wake() {
        socket.post(flags(queue, 0, 0).message());
    }

    @Override
    public void close() {
        socket.close();
    }
}
