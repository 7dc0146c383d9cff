package dev.isonet.internal.diagnostics;

import dev.isonet.internal.linux.LibC;
import dev.isonet.internal.ns.HostNamespaces;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;

/**
 * Every frame on one network's bridge, kept in memory: a packet socket in the router namespace, bound to every
 * interface there, whose kernel filter keeps what a bridge port receives (all that a node sends, before the
 * bridge or any fault rule acts on it) and what the bridge device sends (all that the router itself sends to
 * the nodes), so that each frame on the bridge is seen once, also one a fault then drops. Frames forwarded
 * from port to port are not seen again on the way out, nor on the uplink. A shared reader thread
 * ({@link CaptureReader}) moves them into a {@link FrameRing}, which keeps the last ones up to a byte cap.
 *
 * <p>Timestamps are when the reader took the frame, microseconds after it arrived on an idle machine.
 */
public final class Capture implements AutoCloseable {
    /** PACKET_OUTGOING: the frame was sent by this host (linux/if_packet.h). */
    private static final int PACKET_OUTGOING = 4;
    /** Frames a reader takes at one go before it looks at other captures. */
    private static final int BATCH = 256;
    /** The socket's queue, for bursts the reader has not taken yet (big GSO frames count whole). */
    private static final int RECEIVE_BUFFER = 8 << 20;

    private final int fd;
    private final String where;
    private final int snapLength;
    private final FrameRing ring;
    private final byte[] buffer;
    private final long epochMicros;
    private final long startNanos;
    private long kernelDrops;
    private boolean closed;

    private Capture(int fd, String where, int snapLength, long capBytes) {
        this.fd = fd;
        this.where = where;
        this.snapLength = snapLength;
        this.ring = new FrameRing(capBytes);
        this.buffer = new byte[snapLength];
        Instant now = Instant.now();
        this.epochMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
        this.startNanos = System.nanoTime();
    }

    /**
     * Starts capturing in the namespace {@code netFd} (a router's, {@code where} names it in errors), keeping
     * what the bridge {@code bridgeIndex} sends and what its ports (every interface from {@code firstPort} up)
     * receive; up to {@code snapLength} bytes of each frame, up to about {@code capBytes} in all.
     */
    public static Capture start(int netFd, String where, int bridgeIndex, int firstPort, int snapLength,
                                long capBytes) {
        int fd = HostNamespaces.inNetwork(netFd, where, () -> openSocket(where, bridgeIndex, firstPort));
        Capture capture = new Capture(fd, where, snapLength, capBytes);
        CaptureReader.add(capture);
        return capture;
    }

    /** Opened with protocol 0 (nothing arrives), filtered, then bound to every protocol on every interface. */
    private static int openSocket(String where, int bridgeIndex, int firstPort) {
        String what = "packet socket in " + where;
        int fd = LibC.socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC | LibC.SOCK_NONBLOCK, 0, what);
        try {
            LibC.attachFilter(fd, filter(bridgeIndex, firstPort), what);
            LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, nativeInt(RECEIVE_BUFFER), what);
            // struct sockaddr_ll: family, protocol (big-endian), ifindex 0 (every interface), the rest zero.
            byte[] address = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder()).putShort((short) LibC.AF_PACKET)
                    .putShort((short) LibC.ETH_P_ALL_BE).putInt(0).array();
            LibC.bind(fd, address, what);
            return fd;
        } catch (RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    /**
     * The classic BPF program: accept (whole) a frame that a port (ifindex &gt;= firstPort) received, or that the
     * bridge sent; drop everything else (the uplink, loopback, ports sending what the bridge forwards, the
     * bridge receiving what a port passed up).
     */
    static byte[] filter(int bridgeIndex, int firstPort) {
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
        instruction(p, 0x06, 0, 0, -1);               // 7: accept, whole
        instruction(p, 0x06, 0, 0, 0);                // 8: drop
        return p.array();
    }

    private static void instruction(ByteBuffer program, int code, int jumpTrue, int jumpFalse, int k) {
        program.putShort((short) code).put((byte) jumpTrue).put((byte) jumpFalse).putInt(k);
    }

    private static byte[] nativeInt(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    int fd() {
        return fd;
    }

    /** Takes up to {@value #BATCH} queued frames into the ring; true if there may be more. */
    synchronized boolean drain() {
        if (closed) {
            return false;
        }
        for (int i = 0; i < BATCH; i++) {
            int length = LibC.recvFrame(fd, buffer, where);
            if (length < 0) {
                return false;
            }
            ring.add(epochMicros + (System.nanoTime() - startNanos) / 1_000, length, buffer, Math.min(length, snapLength));
        }
        return true;
    }

    /** Takes every frame queued now, then writes all frames held as a pcap file; returns what it wrote. */
    public synchronized Summary writePcap(OutputStream file) throws IOException {
        while (drain()) {
            // until the queue is empty
        }
        if (!closed) {
            kernelDrops += LibC.packetStatistics(fd, where)[1];
        }
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file, 1 << 16));
        Pcap.writeHeader(out, snapLength);
        ring.writeRecords(out);
        out.flush();
        return summary();
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
        return new Summary(ring.frames(), ring.frames() - ring.evicted(), ring.evicted(), kernelDrops, snapLength);
    }

    /** The frames held now, oldest first: for tests. */
    synchronized java.util.List<byte[]> framesHeld() {
        while (drain()) {
            // until the queue is empty
        }
        return ring.framesHeld();
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
