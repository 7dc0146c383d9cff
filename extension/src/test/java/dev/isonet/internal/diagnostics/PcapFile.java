package dev.isonet.internal.diagnostics;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small reader of classic pcap files with Ethernet frames, and of the TCP segments in them (IPv4 and IPv6):
 * enough to check what a capture holds without a pcap library.
 */
public record PcapFile(int snapLength, int linkType, List<Frame> frames) {
    /** One record: when, its length on the wire, and the bytes kept. */
    public record Frame(long micros, int length, byte[] data) {
        /** The TCP segment in it, or null if it holds none. */
        public Tcp tcp() {
            ByteBuffer b = ByteBuffer.wrap(data);
            if (data.length < 14) {
                return null;
            }
            int etherType = Short.toUnsignedInt(b.getShort(12));
            int ip = 14;
            int protocol;
            int tcp;
            InetAddress source;
            InetAddress destination;
            try {
                if (etherType == 0x0800 && data.length >= ip + 20) {
                    protocol = data[ip + 9] & 0xff;
                    tcp = ip + (data[ip] & 0x0f) * 4;
                    source = InetAddress.getByAddress(Arrays.copyOfRange(data, ip + 12, ip + 16));
                    destination = InetAddress.getByAddress(Arrays.copyOfRange(data, ip + 16, ip + 20));
                } else if (etherType == 0x86dd && data.length >= ip + 40) {
                    protocol = data[ip + 6] & 0xff;
                    tcp = ip + 40;
                    source = InetAddress.getByAddress(Arrays.copyOfRange(data, ip + 8, ip + 24));
                    destination = InetAddress.getByAddress(Arrays.copyOfRange(data, ip + 24, ip + 40));
                } else {
                    return null;
                }
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
            if (protocol != 6 || data.length < tcp + 14) {
                return null;
            }
            return new Tcp(source, Short.toUnsignedInt(b.getShort(tcp)), destination,
                    Short.toUnsignedInt(b.getShort(tcp + 2)), data[tcp + 13] & 0x3f);
        }
    }

    /** A TCP segment's addresses, ports and flags (FIN 1, SYN 2, RST 4, PSH 8, ACK 16). */
    public record Tcp(InetAddress source, int sourcePort, InetAddress destination, int destinationPort, int flags) {
        public boolean isSyn() {
            return flags == 0x02;
        }

        public boolean isSynAck() {
            return flags == 0x12;
        }

        @Override
        public String toString() {
            return source.getHostAddress() + ":" + sourcePort + " > " + destination.getHostAddress() + ":"
                    + destinationPort + " flags 0x" + Integer.toHexString(flags);
        }
    }

    /** Reads the file; fails unless it is a little-endian microsecond pcap file. */
    public static PcapFile read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt() != 0xa1b2c3d4) {
            throw new IOException(file + " is not a little-endian pcap file with microsecond timestamps");
        }
        int major = b.getShort();
        int minor = b.getShort();
        if (major != 2 || minor != 4) {
            throw new IOException(file + " is pcap version " + major + "." + minor + ", not 2.4");
        }
        b.getInt();
        b.getInt();
        int snapLength = b.getInt();
        int linkType = b.getInt();
        List<Frame> frames = new ArrayList<>();
        while (b.remaining() >= 16) {
            long seconds = Integer.toUnsignedLong(b.getInt());
            long micros = b.getInt();
            int kept = b.getInt();
            int length = b.getInt();
            if (kept > b.remaining() || kept > snapLength || kept > length) {
                throw new IOException(file + ": record " + frames.size() + " keeps " + kept + " bytes of " + length
                        + " (snap length " + snapLength + ", " + b.remaining() + " left)");
            }
            byte[] data = new byte[kept];
            b.get(data);
            frames.add(new Frame(seconds * 1_000_000 + micros, length, data));
        }
        if (b.hasRemaining()) {
            throw new IOException(file + " ends inside a record header");
        }
        return new PcapFile(snapLength, linkType, frames);
    }

    /** The TCP segments, in order. */
    public List<Tcp> tcp() {
        return frames.stream().map(Frame::tcp).filter(t -> t != null).toList();
    }
}
