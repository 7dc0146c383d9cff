package dev.isonet.internal.diagnostics;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last frames of a capture, at most a given number of bytes: frames are appended to chunks of
 * {@value #CHUNK} bytes, and once the cap is reached the oldest chunk is dropped (and reused) as a whole. Memory
 * grows with traffic, up to the cap, so that an idle network costs nothing. Not thread-safe: its capture locks.
 *
 * <p>A record is: the time in microseconds since the epoch (8 bytes), the frame's length on the wire (4), the
 * number of bytes kept (4), then those bytes.
 */
final class FrameRing {
    static final int CHUNK = 256 * 1024;
    static final int HEADER = 16;

    private final int maxChunks;
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private long frames;
    private long evicted;

    private static final class Chunk {
        final byte[] bytes = new byte[CHUNK];
        int used;
        int frames;
    }

    /** Keeps about {@code capBytes}, at least two chunks' worth. */
    FrameRing(long capBytes) {
        this.maxChunks = (int) Math.max(2, Math.min(Integer.MAX_VALUE, capBytes / CHUNK));
    }

    /** Appends one frame: {@code kept} bytes of {@code data} from a frame {@code length} bytes long. */
    void add(long micros, int length, byte[] data, int kept) {
        add(micros, length, data, 0, kept);
    }

    /** Appends one frame: {@code kept} bytes of {@code data} from {@code offset}, of a frame {@code length} long. */
    void add(long micros, int length, byte[] data, int offset, int kept) {
        int size = HEADER + kept;
        Chunk last = chunks.peekLast();
        if (last == null || last.used + size > CHUNK) {
            last = nextChunk();
        }
        byte[] b = last.bytes;
        int at = last.used;
        putLong(b, at, micros);
        putInt(b, at + 8, length);
        putInt(b, at + 12, kept);
        System.arraycopy(data, offset, b, at + HEADER, kept);
        last.used += size;
        last.frames++;
        frames++;
    }

    private Chunk nextChunk() {
        Chunk chunk;
        if (chunks.size() >= maxChunks) {
            chunk = chunks.pollFirst();
            evicted += chunk.frames;
            chunk.used = 0;
            chunk.frames = 0;
        } else {
            chunk = new Chunk();
        }
        chunks.addLast(chunk);
        return chunk;
    }

    /** Frames added since the start. */
    long frames() {
        return frames;
    }

    /** Frames dropped to stay under the cap: the oldest ones. */
    long evicted() {
        return evicted;
    }

    /** Bytes held now, in chunks allocated so far. */
    long allocatedBytes() {
        return (long) chunks.size() * CHUNK;
    }

    /** The frames held, oldest first, as pcap records. */
    void writeRecords(DataOutputStream out) throws IOException {
        for (Chunk chunk : chunks) {
            byte[] b = chunk.bytes;
            for (int at = 0; at < chunk.used; ) {
                long micros = getLong(b, at);
                int length = getInt(b, at + 8);
                int kept = getInt(b, at + 12);
                Pcap.writeRecord(out, micros, length, b, at + HEADER, kept);
                at += HEADER + kept;
            }
        }
    }

    /** The frames held, oldest first: for tests. */
    List<byte[]> framesHeld() {
        List<byte[]> held = new ArrayList<>();
        for (Chunk chunk : chunks) {
            for (int at = 0; at < chunk.used; ) {
                int kept = getInt(chunk.bytes, at + 12);
                held.add(java.util.Arrays.copyOfRange(chunk.bytes, at + HEADER, at + HEADER + kept));
                at += HEADER + kept;
            }
        }
        return held;
    }

    private static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) (v >>> 32));
        putInt(b, at + 4, (int) v);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static long getLong(byte[] b, int at) {
        return ((long) getInt(b, at) << 32) | Integer.toUnsignedLong(getInt(b, at + 4));
    }

    private static int getInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
