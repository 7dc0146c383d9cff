package dev.isonet.internal.diagnostics;

import dev.isonet.internal.linux.LibC;
import dev.isonet.internal.linux.SharedMemory;
import dev.isonet.internal.ns.HostNamespaces;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Every frame on one network's bridge, kept in memory: a packet socket in the router namespace, bound to every
 * interface there, whose kernel filter keeps what a bridge port receives (all that a node sends, before the
 * bridge or any fault rule acts on it) and what the bridge device sends (all that the router itself sends to
 * the nodes), so that each frame on the bridge is seen once, also one a fault then drops. Frames forwarded
 * from port to port are not seen again on the way out, nor on the uplink.
 *
 * <p>The socket and its ring are made ahead of need, with the router ({@link Prepared}). The kernel copies each frame (up to the snap length) with its time into a receive ring shared with the JVM
 * (TPACKET_V3: {@value #BLOCKS} blocks of {@value #BLOCK_SIZE} bytes), and hands a block over when it is full or
 * {@value #BLOCK_TIMEOUT_MILLIS} ms after its first frame: no system call and no wake-up per frame. A shared reader
 * thread ({@link CaptureReader}) moves handed-over blocks into a {@link FrameRing}, which keeps the last frames up
 * to a byte cap.
 */
public final class Capture implements AutoCloseable {
    /** PACKET_OUTGOING: the frame was sent by this host (linux/if_packet.h). */
    private static final int PACKET_OUTGOING = 4;
    static final int BLOCK_SIZE = 256 * 1024;
    static final int BLOCKS = 4;
    static final int BLOCK_TIMEOUT_MILLIS = 10;
    private static final int PACKET_RX_RING = 5;
    private static final int PACKET_VERSION = 10;
    private static final int TPACKET_V3 = 2;
    private static final int TP_STATUS_USER = 1;
    private static final int TP_STATUS_KERNEL = 0;
    // struct tpacket_block_desc, and the struct tpacket_hdr_v1 in it
    private static final int BLOCK_STATUS = 8;
    private static final int BLOCK_PACKETS = 12;
    private static final int BLOCK_FIRST_PACKET = 16;
    private static final int BLOCK_LENGTH = 20;
    // struct tpacket3_hdr
    private static final int PACKET_NEXT = 0;
    private static final int PACKET_SECONDS = 4;
    private static final int PACKET_NANOS = 8;
    private static final int PACKET_SNAPLEN = 12;
    private static final int PACKET_LENGTH = 16;
    private static final int PACKET_MAC = 24;

    private static final System.Logger LOG = System.getLogger("dev.isonet");
    /** Closes unused capture sockets, one after another, on a host thread that is never in another namespace. */
    private static final java.util.concurrent.ExecutorService SETUP = new java.util.concurrent.ThreadPoolExecutor(
            0, 1, 30, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
            job -> HostNamespaces.newHostThread("isonet-capture-close", job));

    private final int fd;
    private final SharedMemory ring;
    private final String where;
    private final int snapLength;
    private final FrameRing frames;
    /** One block, copied out of the kernel ring: read as an array in host byte order. Made by the first drain. */
    private ByteBuffer blockCopy;
    private int block;
    private long kernelDrops;
    private boolean closed;

    private Capture(int fd, SharedMemory ring, String where, int snapLength, long capBytes) {
        this.fd = fd;
        this.ring = ring;
        this.where = where;
        this.snapLength = snapLength;
        this.frames = new FrameRing(capBytes);
    }

    /**
     * A capture socket made ahead of need, with its filter and kernel ring, bound, but not read until {@link #start}. Making the ring waits for an RCU grace period (PACKET_RX_RING calls synchronize_net), a
     * millisecond or more, so routers made ahead of need (spares) make one too. Whoever holds one closes it or
     * starts it.
     */
    public static final class Prepared implements AutoCloseable {
        private final int fd;
        private final SharedMemory ring;
        private final String where;
        /** The filter attached, as (bridge, first port, snap length); attaching one compiles it, which takes a while. */
        private final int[] filter;
        private boolean taken;

        private Prepared(int fd, SharedMemory ring, String where, int[] filter) {
            this.fd = fd;
            this.ring = ring;
            this.where = where;
            this.filter = filter;
        }

        /** Hands the socket over once; null if it was taken or closed. */
        synchronized Prepared take() {
            if (taken) {
                return null;
            }
            taken = true;
            return this;
        }

        /** Closes it unless it was started. Closing a packet socket waits for RCU too: on a host thread of its own. */
        @Override
        public void close() {
            if (take() != null) {
                SETUP.execute(() -> {
                    ring.close();
                    LibC.close(fd);
                });
            }
        }
    }

    /**
     * Makes a capture socket with its filter and ring, and binds it (see {@link #start}), in the calling thread's network namespace
     * (a router's, {@code where} names it in errors), or null, without failing, where the kernel refuses (the reason
     * is logged at DEBUG).
     */
    public static Prepared prepare(String where, int bridgeIndex, int firstPort, int snapLength) {
        String what = "packet socket in " + where;
        // Protocol 0: nothing arrives until the bind, once the filter and ring are in place.
        int fd;
        try {
            fd = LibC.socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC | LibC.SOCK_NONBLOCK, 0, what);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "isonet: no capture socket made ahead of need: " + e.getMessage());
            return null;
        }
        try {
            LibC.attachFilter(fd, filter(bridgeIndex, firstPort, snapLength), what);
            LibC.setsockopt(fd, LibC.SOL_PACKET, PACKET_VERSION, nativeInts(TPACKET_V3), what);
            // struct tpacket_req3: block size and count, frame size and count, block timeout, private size, features
            LibC.setsockopt(fd, LibC.SOL_PACKET, PACKET_RX_RING, nativeInts(BLOCK_SIZE, BLOCKS, 2048,
                    BLOCK_SIZE / 2048 * BLOCKS, BLOCK_TIMEOUT_MILLIS, 0, 0), what);
            SharedMemory ring = LibC.mmap(fd, (long) BLOCK_SIZE * BLOCKS, what);
            try {
                // Bound now, since binding takes the rtnl lock, which building networks keeps busy: the frames of a
                // router made ahead of need (its bridge's first neighbour discovery) wait in the kernel ring.
                LibC.bind(fd, everyInterface(), what);
            } catch (RuntimeException e) {
                ring.close();
                throw e;
            }
            return new Prepared(fd, ring, where, new int[] {bridgeIndex, firstPort, snapLength});
        } catch (RuntimeException e) {
            LibC.close(fd);
            LOG.log(System.Logger.Level.DEBUG, "isonet: no capture socket made ahead of need: " + e.getMessage());
            return null;
        }
    }

    /**
     * Starts capturing on {@code prepared} (made in a router's namespace), keeping what the bridge {@code bridgeIndex}
     * sends and what its ports (every interface from {@code firstPort} up) receive; up to {@code snapLength} bytes
     * of each frame, up to about {@code capBytes} in all. Takes microseconds (a new filter, if these differ from what
     * {@link #prepare} was given, takes longer).
     *
     * @throws IllegalStateException if {@code prepared} was already started or closed
     */
    public static Capture start(Prepared prepared, int bridgeIndex, int firstPort, int snapLength, long capBytes) {
        if (prepared == null || prepared.take() == null) {
            throw new IllegalStateException("no capture socket was made with this router (see the log at DEBUG)");
        }
        String what = "packet socket in " + prepared.where;
        try {
            if (!java.util.Arrays.equals(prepared.filter, new int[] {bridgeIndex, firstPort, snapLength})) {
                LibC.attachFilter(prepared.fd, filter(bridgeIndex, firstPort, snapLength), what); // replaces it
            }
        } catch (RuntimeException e) {
            SETUP.execute(() -> {
                prepared.ring.close();
                LibC.close(prepared.fd);
            });
            throw e;
        }
        Capture capture = new Capture(prepared.fd, prepared.ring, prepared.where, snapLength, capBytes);
        CaptureReader.add(capture);
        return capture;
    }

    /** struct sockaddr_ll: family, protocol (big-endian), ifindex 0 (every interface), the rest zero. */
    private static byte[] everyInterface() {
        return ByteBuffer.allocate(20).order(ByteOrder.nativeOrder()).putShort((short) LibC.AF_PACKET)
                .putShort((short) LibC.ETH_P_ALL_BE).putInt(0).array();
    }

    /**
     * The classic BPF program: accept (up to {@code snapLength} bytes of) a frame that a port (ifindex &gt;=
     * firstPort) received, or that the bridge sent; drop everything else (the uplink, loopback, ports sending what
     * the bridge forwards, the bridge receiving what a port passed up).
     */
    static byte[] filter(int bridgeIndex, int firstPort, int snapLength) {
        int ifindex = 0xfffff000 + 8; // SKF_AD_OFF + SKF_AD_IFINDEX
        int pktType = 0xfffff000 + 4; // SKF_AD_OFF + SKF_AD_PKTTYPE
        ByteBuffer p = ByteBuffer.allocate(9 * 8).order(ByteOrder.nativeOrder());
        instruction(p, 0x20, 0, 0, ifindex);          // 0: A = ifindex
        instruction(p, 0x15, 3, 0, bridgeIndex);      // 1: A == bridge ? 5 : 2
        instruction(p, 0x35, 0, 5, firstPort);        // 2: A >= firstPort ? 3 : 8
        instruction(p, 0x20, 0, 0, pktType);          // 3: A = pkttype
        instruction(p, 0x15, 3, 2, PACKET_OUTGOING);  // 4: outgoing ? 8 : 7
        instruction(p, 0x20, 0, 0, pktType);          // 5: A = pkttype
        instruction(p, 0x15, 0, 1, PACKET_OUTGOING);  // 6: outgoing ? 7 : 8
        instruction(p, 0x06, 0, 0, snapLength);       // 7: accept, so many bytes
        instruction(p, 0x06, 0, 0, 0);                // 8: drop
        return p.array();
    }

    private static void instruction(ByteBuffer program, int code, int jumpTrue, int jumpFalse, int k) {
        program.putShort((short) code).put((byte) jumpTrue).put((byte) jumpFalse).putInt(k);
    }

    private static byte[] nativeInts(int... values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.nativeOrder());
        for (int value : values) {
            bytes.putInt(value);
        }
        return bytes.array();
    }

    int fd() {
        return fd;
    }

    /**
     * Moves the blocks the kernel has handed over into the frame ring, and hands them back; true if there were any.
     * Each block is copied out at once and read as a Java array: two calls into native memory per block, none per
     * frame.
     */
    synchronized boolean drain() {
        if (closed) {
            return false;
        }
        boolean any = false;
        for (int i = 0; i < BLOCKS; i++) {
            long base = (long) block * BLOCK_SIZE;
            if ((ring.getIntAcquire(base + BLOCK_STATUS) & TP_STATUS_USER) == 0) {
                break;
            }
            if (blockCopy == null) {
                blockCopy = ByteBuffer.allocate(BLOCK_SIZE).order(ByteOrder.nativeOrder());
            }
            int used = Math.min(BLOCK_SIZE, ring.getInt(base + BLOCK_LENGTH));
            ring.getBytes(base, blockCopy.array(), 0, used);
            ring.putIntRelease(base + BLOCK_STATUS, TP_STATUS_KERNEL); // the copy is all we read
            block = (block + 1) % BLOCKS;
            any = true;
            ByteBuffer b = blockCopy;
            int packets = b.getInt(BLOCK_PACKETS);
            int at = b.getInt(BLOCK_FIRST_PACKET);
            for (int p = 0; p < packets && at >= 0 && at + PACKET_MAC + 2 <= used; p++) {
                int kept = Math.min(Math.min(b.getInt(at + PACKET_SNAPLEN), snapLength), used - at);
                int data = at + Short.toUnsignedInt(b.getShort(at + PACKET_MAC));
                kept = Math.max(0, Math.min(kept, used - data));
                long micros = Integer.toUnsignedLong(b.getInt(at + PACKET_SECONDS)) * 1_000_000
                        + b.getInt(at + PACKET_NANOS) / 1_000;
                frames.add(micros, b.getInt(at + PACKET_LENGTH), b.array(), data, kept);
                int next = b.getInt(at + PACKET_NEXT);
                if (next <= 0) {
                    break;
                }
                at += next;
            }
        }
        return any;
    }

    /**
     * Waits until the kernel has handed over the block it was filling (about {@value #BLOCK_TIMEOUT_MILLIS} ms after
     * its first frame), takes every frame, then writes all frames held as a pcap file; returns what it wrote.
     */
    public Summary writePcap(OutputStream file) throws IOException {
        try {
            Thread.sleep(BLOCK_TIMEOUT_MILLIS * 3L); // the kernel's timer counts in jiffies, and may run late
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            drain();
            if (!closed) {
                kernelDrops += LibC.packetStatistics(fd, where)[1];
            }
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file, 1 << 16));
            Pcap.writeHeader(out, snapLength);
            frames.writeRecords(out);
            out.flush();
            return summary();
        }
    }

    /** How many frames were seen, are held, were dropped to stay under the cap, or by the kernel. */
    public record Summary(long seen, long held, long evicted, long kernelDrops, int snapLength) {
        @Override
        public String toString() {
            return held + " frames" + (evicted > 0 ? ", the last of " + seen + " (older ones dropped to stay under"
                    + " isonet.capture.buffer)" : "") + (kernelDrops > 0 ? "; " + kernelDrops + " frames were missed"
                    + " while the reader was behind" : "") + "; each cut to " + snapLength + " bytes at most";
        }
    }

    public synchronized Summary summary() {
        return new Summary(frames.frames(), frames.frames() - frames.evicted(), frames.evicted(), kernelDrops,
                snapLength);
    }

    /** Stops capturing; the frames held stay readable. The reader thread closes the socket. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        CaptureReader.remove(this);
    }

    /** Called by the reader once it no longer polls the socket. */
    synchronized void closeSocket() {
        ring.close();
        LibC.close(fd);
    }

    synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "capture in " + where;
    }
}
