package dev.isonet.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The key of a named set: nft's data type number and name (userspace knowledge the kernel only stores),
 * the key length in bytes, and, for a concatenation, the length of each field. Each field of a
 * concatenation takes whole 4-byte registers, so {@code iface_index . iface_index} is 8 bytes and
 * {@code ipv4_addr . inet_service} is 8 too (4 + 2 rounded up to 4).
 */
public record NfSetKey(String name, int type, int length, List<Integer> fieldLengths) {
    /** nft's TYPE_BITS: a concatenated type is {@code (first << 6) | second}. */
    private static final int TYPE_BITS = 6;

    public static final NfSetKey IPV4_ADDR = field("ipv4_addr", 7, 4);
    public static final NfSetKey IPV6_ADDR = field("ipv6_addr", 8, 16);
    public static final NfSetKey ETHER_ADDR = field("ether_addr", 9, 6);
    public static final NfSetKey INET_SERVICE = field("inet_service", 13, 2);
    public static final NfSetKey MARK = field("mark", 19, 4);
    /** An interface index, as meta iif / meta oif load it: host-endian u32. */
    public static final NfSetKey IFINDEX = field("iface_index", 20, 4);

    public NfSetKey {
        fieldLengths = List.copyOf(fieldLengths);
    }

    private static NfSetKey field(String name, int type, int length) {
        return new NfSetKey(name, type, length, List.of(length));
    }

    /** Equivalent to nft's {@code type $this . $next}. */
    public NfSetKey concat(NfSetKey next) {
        List<Integer> fields = new ArrayList<>(fieldLengths);
        fields.addAll(next.fieldLengths);
        return new NfSetKey(name + " . " + next.name, (type << TYPE_BITS) | next.type,
                registerBytes(length) + registerBytes(next.length), fields);
    }

    public boolean isConcatenation() {
        return fieldLengths.size() > 1;
    }

    private static int registerBytes(int length) {
        return (length + 3) & ~3;
    }

    /** An element of an {@code iface_index . iface_index …} set: each index host-endian, 4 bytes apiece. */
    public static byte[] ifindexes(int... indexes) {
        ByteBuffer key = ByteBuffer.allocate(4 * indexes.length).order(ByteOrder.nativeOrder());
        for (int index : indexes) {
            key.putInt(index);
        }
        return key.array();
    }

    /** nft's name of a (possibly concatenated) key type number, such as {@code iface_index . iface_index}. */
    public static String typeName(int type) {
        List<String> names = new ArrayList<>();
        for (int rest = type; rest != 0; rest >>>= TYPE_BITS) {
            int part = rest & ((1 << TYPE_BITS) - 1);
            names.add(0, switch (part) {
                case 7 -> IPV4_ADDR.name;
                case 8 -> IPV6_ADDR.name;
                case 9 -> ETHER_ADDR.name;
                case 13 -> INET_SERVICE.name;
                case 19 -> MARK.name;
                case 20 -> IFINDEX.name;
                default -> "type " + part;
            });
        }
        return names.isEmpty() ? "type 0" : String.join(" . ", names);
    }

    @Override
    public String toString() {
        return name;
    }
}
