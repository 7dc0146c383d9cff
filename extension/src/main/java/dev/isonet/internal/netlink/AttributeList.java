package dev.isonet.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Every attribute of one nest, in order and with repeats ({@link Attributes} finds only the first of a type,
 * but nf_tables lists repeat NFTA_LIST_ELEM). Reading is lenient: a truncated attribute ends the list, and an
 * attribute that is missing or too short reads as the caller's default. Integers are big-endian, as
 * nf_tables writes them.
 */
final class AttributeList {
    /** One attribute: its type (without the nested and byte-order flags) and its payload. */
    record Attribute(int type, byte[] value) {
        AttributeList nested() {
            return AttributeList.of(value);
        }
    }

    /** Above every NFTA_TABLE_*, NFTA_CHAIN_*, NFTA_RULE_* and NFTA_SET_* type this kernel knows (20). */
    private static final int MAX_TOP_LEVEL_TYPE = 32;
    private static final AttributeList EMPTY = new AttributeList(List.of());
    private final List<Attribute> attributes;

    private AttributeList(List<Attribute> attributes) {
        this.attributes = attributes;
    }

    /** The attributes of a payload that holds nothing but attributes; null reads as none. */
    static AttributeList of(byte[] payload) {
        if (payload == null) {
            return EMPTY;
        }
        ByteBuffer buffer = ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
        List<Attribute> attributes = new ArrayList<>();
        for (int at = 0; at + 4 <= payload.length; ) {
            int length = buffer.getShort(at) & 0xffff;
            if (length < 4 || at + length > payload.length) {
                break;
            }
            byte[] value = new byte[length - 4];
            buffer.get(at + 4, value);
            attributes.add(new Attribute(buffer.getShort(at + 2) & 0x3fff, value));
            at += (length + 3) & ~3;
        }
        return new AttributeList(attributes);
    }

    /**
     * The attributes of an nf_tables message (after its nfgenmsg). Only nests repeat a type, never the
     * top level, so the first of each type is all there is.
     */
    static AttributeList ofMessage(Reply reply) {
        Attributes top = reply.attributes(4);
        List<Attribute> attributes = new ArrayList<>();
        for (int type = 1; type <= MAX_TOP_LEVEL_TYPE; type++) {
            byte[] value = top.bytes(type);
            if (value != null) {
                attributes.add(new Attribute(type, value));
            }
        }
        return new AttributeList(attributes);
    }

    List<Attribute> all() {
        return attributes;
    }

    boolean has(int type) {
        return bytes(type) != null;
    }

    byte[] bytes(int type) {
        for (Attribute attribute : attributes) {
            if (attribute.type() == type) {
                return attribute.value();
            }
        }
        return null;
    }

    AttributeList nested(int type) {
        return of(bytes(type));
    }

    int be32(int type, int otherwise) {
        byte[] value = bytes(type);
        return value == null || value.length < 4 ? otherwise : ByteBuffer.wrap(value).getInt();
    }

    long be64(int type, long otherwise) {
        byte[] value = bytes(type);
        return value == null || value.length < 8 ? otherwise : ByteBuffer.wrap(value).getLong();
    }

    int u8(int type, int otherwise) {
        byte[] value = bytes(type);
        return value == null || value.length < 1 ? otherwise : value[0] & 0xff;
    }

    /** A NUL-terminated string attribute, or null. */
    String string(int type) {
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
}
