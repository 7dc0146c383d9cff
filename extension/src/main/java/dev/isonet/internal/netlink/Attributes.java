package dev.isonet.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Reads the attributes of one message or nest, by type. */
public final class Attributes {
    private final ByteBuffer buffer;
    private final int start;
    private final int end;

    Attributes(ByteBuffer buffer, int start, int end) {
        this.buffer = buffer.duplicate().order(ByteOrder.nativeOrder());
        this.start = start;
        this.end = end;
    }

    /** Offset of the first attribute of the given type's payload, or -1. */
    private int find(int type) {
        int at = start;
        while (at + 4 <= end) {
            int length = buffer.getShort(at) & 0xffff;
            int kind = buffer.getShort(at + 2) & 0x3fff;
            if (length < 4) {
                return -1;
            }
            if (kind == type) {
                return at;
            }
            at += (length + 3) & ~3;
        }
        return -1;
    }

    public boolean has(int type) {
        return find(type) >= 0;
    }

    public byte[] bytes(int type) {
        int at = find(type);
        if (at < 0) {
            return null;
        }
        byte[] value = new byte[(buffer.getShort(at) & 0xffff) - 4];
        buffer.get(at + 4, value);
        return value;
    }

    public String string(int type) {
        byte[] value = bytes(type);
        if (value == null) {
            return null;
        }
        int length = 0;
        while (length < value.length && value[length] != 0) {
            length++;
        }
        return new String(value, 0, length, StandardCharsets.UTF_8);
    }

    public int u32(int type, int otherwise) {
        int at = find(type);
        return at < 0 ? otherwise : buffer.getInt(at + 4);
    }

    /** A one-byte attribute (such as IFLA_OPERSTATE), or {@code otherwise}. */
    public int u8(int type, int otherwise) {
        int at = find(type);
        return at < 0 ? otherwise : buffer.get(at + 4) & 0xff;
    }

    /** A host-endian u64 attribute (such as TCA_TBF_RATE64), or {@code otherwise}. */
    public long u64(int type, long otherwise) {
        int at = find(type);
        return at < 0 ? otherwise : buffer.getLong(at + 4);
    }

    /** A big-endian (network order) u32 attribute, as nfnetlink sends them, or {@code otherwise}. */
    public int be32(int type, int otherwise) {
        int at = find(type);
        return at < 0 ? otherwise : buffer.duplicate().order(ByteOrder.BIG_ENDIAN).getInt(at + 4);
    }

    public Attributes nested(int type) {
        int at = find(type);
        if (at < 0) {
            return new Attributes(buffer, 0, 0);
        }
        return new Attributes(buffer, at + 4, at + (buffer.getShort(at) & 0xffff));
    }
}
