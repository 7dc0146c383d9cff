package dev.isonet.internal.topology;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 subnet and the IPv6 ULA /64 derived from it (fd15:e7e:AABB:CCDD::/64 for AA.BB.CC.DD), so that
 * both are unique together. Host number i has IPv4 base+i and IPv6 prefix::i.
 */
public record Subnet(int base, int prefixLength) {
    private static final int V6_GLOBAL_ID_HIGH = 0xfd15;
    private static final int V6_GLOBAL_ID_LOW = 0x0e7e;

    public Subnet {
        if (prefixLength < 8 || prefixLength > 29) {
            throw new IllegalArgumentException("subnet prefix must be /8 to /29, not /" + prefixLength);
        }
    }

    /** Like {@link #parse} but rejects host bits: a subnet, not an address in one. */
    public static Subnet parseNetwork(String cidr) {
        Subnet subnet = parse(cidr);
        if ((subnet.base & ~mask(subnet.prefixLength)) != 0) {
            throw new IllegalArgumentException("subnet '" + cidr + "' has host bits set; did you mean "
                    + format(subnet.base & mask(subnet.prefixLength)) + "/" + subnet.prefixLength + "?");
        }
        return subnet;
    }

    /** Parses "10.213.4.0/24". */
    public static Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("subnet '" + cidr + "' must be written as a.b.c.d/prefix");
        }
        String[] parts = cidr.substring(0, slash).trim().split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("subnet '" + cidr + "' must be written as a.b.c.d/prefix");
        }
        try {
            int value = 0;
            for (String part : parts) {
                int octet = Integer.parseInt(part);
                if (octet < 0 || octet > 255) {
                    throw new IllegalArgumentException("subnet '" + cidr + "' has an octet out of range");
                }
                value = (value << 8) | octet;
            }
            return new Subnet(value, Integer.parseInt(cidr.substring(slash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("subnet '" + cidr + "' must be written as a.b.c.d/prefix");
        }
    }

    static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    public int size() {
        return 1 << (32 - prefixLength);
    }

    /** Host numbers 1 (the gateway) to size-2; the broadcast address is not one. */
    public int lastHost() {
        return size() - 2;
    }

    public Inet4Address ipv4(int host) {
        if (host < 0 || host >= size()) {
            throw new IllegalArgumentException("host " + host + " is outside " + this);
        }
        return (Inet4Address) address(intBytes(base + host));
    }

    public Inet6Address ipv6(int host) {
        byte[] raw = new byte[16];
        raw[0] = (byte) (V6_GLOBAL_ID_HIGH >> 8);
        raw[1] = (byte) V6_GLOBAL_ID_HIGH;
        raw[2] = (byte) (V6_GLOBAL_ID_LOW >> 8);
        raw[3] = (byte) V6_GLOBAL_ID_LOW;
        System.arraycopy(intBytes(base), 0, raw, 4, 4);
        System.arraycopy(intBytes(host), 0, raw, 12, 4);
        return (Inet6Address) address(raw);
    }

    public Inet6Address ipv6Prefix() {
        return ipv6(0);
    }

    public Inet4Address network() {
        return ipv4(0);
    }

    public boolean overlaps(InetAddress address, int otherPrefix) {
        byte[] raw = address.getAddress();
        if (raw.length == 4) {
            int other = java.nio.ByteBuffer.wrap(raw).getInt();
            int shorter = Math.min(prefixLength, otherPrefix);
            return ((other ^ base) & mask(shorter)) == 0;
        }
        byte[] mine = ipv6Prefix().getAddress();
        int shorter = Math.min(64, otherPrefix);
        for (int bit = 0; bit < shorter; bit++) {
            int byteIndex = bit / 8;
            int bitMask = 0x80 >> (bit % 8);
            if ((mine[byteIndex] & bitMask) != (raw[byteIndex] & bitMask)) {
                return false;
            }
        }
        return true;
    }

    /** The MAC a node with this host number gets: locally administered, stable, so reuse keeps caches right. */
    public byte[] mac(int host) {
        byte[] b = intBytes(base + host);
        return new byte[] {0x02, 0x15, b[0], b[1], b[2], b[3]};
    }

    /** Eight hex digits of the base: with the owning lease, unique among live networks on this host. */
    public String id() {
        return String.format("%08x", base);
    }

    private static byte[] intBytes(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static String format(int value) {
        return (value >>> 24) + "." + ((value >>> 16) & 0xff) + "." + ((value >>> 8) & 0xff) + "." + (value & 0xff);
    }

    @Override
    public String toString() {
        return format(base) + "/" + prefixLength;
    }
}
