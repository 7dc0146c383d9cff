package dev.isonet.internal.topology;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * An IPv4 subnet and the IPv6 ULA /64 derived from it (fd15:e7e:AABB:CCDD::/64 for AA.BB.CC.DD), so that
 * both are unique together. Host number i has IPv4 base+i and IPv6 prefix::i.
 */
public record Subnet(int base, int prefixLength) {
    private static final int V6_GLOBAL_ID_HIGH = 0xfd15;
    private static final int V6_GLOBAL_ID_LOW = 0x0e7e;

    public Subnet {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix must be /0 to /32, not /" + prefixLength);
        }
    }

    /** How many addresses it spans, as a long: a /0 route spans 2^32. */
    public long span() {
        return 1L << (32 - prefixLength);
    }

    /** Ranges that can never be a network's subnet, with what they are. */
    private static final List<Reserved> RESERVED = List.of(
            new Reserved(0x00000000, 8, "0.0.0.0/8, \"this network\""),
            new Reserved(0x7f000000, 8, "127.0.0.0/8, loopback"),
            new Reserved(0xa9fe0000, 16, "169.254.0.0/16, link-local"),
            new Reserved(0xe0000000, 4, "224.0.0.0/4, multicast"),
            new Reserved(0xf0000000, 4, "240.0.0.0/4, reserved and broadcast"));

    private record Reserved(int base, int prefixLength, String what) {}

    /** Like {@link #parse} but rejects host bits: a subnet, not an address in one. */
    public static Subnet parseNetwork(String cidr) {
        return parseNetwork("subnet", cidr);
    }

    /**
     * A subnet given as {@code parameter} (named in errors): strict a.b.c.d/n, no host bits, not in a reserved
     * range.
     */
    public static Subnet parseNetwork(String parameter, String cidr) {
        Subnet subnet = parse(parameter, cidr);
        if ((subnet.base & ~mask(subnet.prefixLength)) != 0) {
            throw new IllegalArgumentException(parameter + " '" + cidr + "' has host bits set; did you mean "
                    + format(subnet.base & mask(subnet.prefixLength)) + "/" + subnet.prefixLength + "?");
        }
        subnet.checkNotReserved(parameter, cidr);
        return subnet;
    }

    /** Fails, naming {@code parameter} and the value, if this subnet overlaps a reserved range. */
    public void checkNotReserved(String parameter, String given) {
        for (Reserved reserved : RESERVED) {
            if (overlaps(reserved.base, reserved.prefixLength)) {
                throw new IllegalArgumentException(parameter + " '" + given + "' overlaps " + reserved.what
                        + ", which no network can use; choose a private range such as 10.0.0.0/8 or 172.16.0.0/12");
            }
        }
    }

    /** Parses "10.213.4.0/24". */
    public static Subnet parse(String cidr) {
        return parse("subnet", cidr);
    }

    /**
     * Parses a.b.c.d/n strictly: decimal octets 0-255 without leading zeros (ip(8) reads 010 as octal 8) or
     * signs, and a prefix /8 to /29.
     */
    public static Subnet parse(String parameter, String cidr) {
        String format = parameter + " '" + cidr + "' must be written as a.b.c.d/n (decimal, no leading zeros),"
                + " for example 10.213.0.0/24";
        if (cidr == null) {
            throw new IllegalArgumentException(parameter + " must not be null; write it as a.b.c.d/n");
        }
        int slash = cidr.indexOf('/');
        if (slash < 0 || cidr.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException(format);
        }
        String[] parts = cidr.substring(0, slash).split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException(format);
        }
        int value = 0;
        for (String part : parts) {
            int octet = decimal(part, 255);
            if (octet < 0) {
                throw new IllegalArgumentException(format);
            }
            value = (value << 8) | octet;
        }
        int prefix = decimal(cidr.substring(slash + 1), 32);
        if (prefix < 0) {
            throw new IllegalArgumentException(format);
        }
        if (prefix < 8 || prefix > 29) {
            throw new IllegalArgumentException(parameter + " '" + cidr + "' has prefix /" + prefix
                    + "; a network's subnet must be /8 to /29 (a /29 holds 3 nodes)");
        }
        return new Subnet(value, prefix);
    }

    /** A plain decimal number from 0 to {@code max}, without sign or leading zero; -1 otherwise. */
    private static int decimal(String text, int max) {
        if (text.isEmpty() || text.length() > 3 || (text.length() > 1 && text.charAt(0) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= max ? value : -1;
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

    /** Whether this subnet and base/otherPrefix share any address. */
    public boolean overlaps(int otherBase, int otherPrefix) {
        int shorter = Math.min(prefixLength, otherPrefix);
        return ((otherBase ^ base) & mask(shorter)) == 0;
    }

    /** Whether this subnet and {@code other} share any address. */
    public boolean overlaps(Subnet other) {
        return overlaps(other.base, other.prefixLength);
    }

    /** Whether {@code address} lies in this subnet. */
    public boolean contains(InetAddress address) {
        byte[] raw = address.getAddress();
        return raw.length == 4 && overlaps(java.nio.ByteBuffer.wrap(raw).getInt(), 32);
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
