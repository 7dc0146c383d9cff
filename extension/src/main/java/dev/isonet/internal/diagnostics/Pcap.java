package dev.isonet.internal.diagnostics;

import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The classic pcap file format (as libpcap writes it, version 2.4, microsecond timestamps), little-endian, with
 * Ethernet frames (LINKTYPE_ETHERNET): what Wireshark, tshark and tcpdump read.
 */
final class Pcap {
    static final int MAGIC = 0xa1b2c3d4;
    static final int LINKTYPE_ETHERNET = 1;

    private Pcap() {}

    /** The 24-byte file header. */
    static void writeHeader(DataOutputStream out, int snapLength) throws IOException {
        out.writeInt(Integer.reverseBytes(MAGIC));
        out.writeShort(Short.reverseBytes((short) 2));
        out.writeShort(Short.reverseBytes((short) 4));
        out.writeInt(0); // thiszone: UTC
        out.writeInt(0); // sigfigs
        out.writeInt(Integer.reverseBytes(snapLength));
        out.writeInt(Integer.reverseBytes(LINKTYPE_ETHERNET));
    }

    /** One record: its 16-byte header (time, bytes kept, length on the wire), then the bytes kept. */
    static void writeRecord(DataOutputStream out, long micros, int length, byte[] data, int offset, int kept)
            throws IOException {
        out.writeInt(Integer.reverseBytes((int) (micros / 1_000_000)));
        out.writeInt(Integer.reverseBytes((int) (micros % 1_000_000)));
        out.writeInt(Integer.reverseBytes(kept));
        out.writeInt(Integer.reverseBytes(length));
        out.write(data, offset, kept);
    }
}
