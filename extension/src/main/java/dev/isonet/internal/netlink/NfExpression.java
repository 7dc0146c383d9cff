package dev.isonet.internal.netlink;

import java.util.function.Consumer;

/**
 * One nf_tables expression of a rule: its kernel name and how to write its attributes. Registers are the
 * 16-byte ones (NFT_REG_1 …); the verdict register is 0.
 */
public record NfExpression(String name, Consumer<NetlinkMessage> data) {
    public static final int REG_VERDICT = 0;
    public static final int REG_1 = 1;
    public static final int META_IIFNAME = 6;
    public static final int META_OIFNAME = 7;
    public static final int META_NFPROTO = 15;
    public static final int PAYLOAD_NETWORK_HEADER = 1;
    public static final int VERDICT_DROP = 0;
    public static final int VERDICT_ACCEPT = 1;

    /** Equivalent to the load half of {@code meta oifname}, {@code meta nfproto} …. */
    public static NfExpression meta(int key, int register) {
        return new NfExpression("meta", m -> m.attrBe32(1, register).attrBe32(2, key));
    }

    public static final int CT_STATE = 0;
    /** ct state bits, host-endian: established (1 << 1) and related (1 << 2). */
    public static final int CT_ESTABLISHED_RELATED = 0x6;
    public static final int NFPROTO_IPV4 = 2;
    public static final int NFPROTO_IPV6 = 10;
    static final int CMP_EQ = 0;
    static final int CMP_NEQ = 1;

    /** Equivalent to {@code … == value}. */
    public static NfExpression cmpEq(int register, byte[] value) {
        return cmp(CMP_EQ, register, value);
    }

    /** Equivalent to {@code … != value}. */
    public static NfExpression cmpNeq(int register, byte[] value) {
        return cmp(CMP_NEQ, register, value);
    }

    /** Equivalent to the load half of {@code ct state}. */
    public static NfExpression ct(int key, int register) {
        return new NfExpression("ct", m -> m.attrBe32(1, register).attrBe32(2, key));
    }

    private static NfExpression cmp(int op, int register, byte[] value) {
        return new NfExpression("cmp", m -> {
            m.attrBe32(1, register).attrBe32(2, op);
            int data = m.nest(3);
            m.attr(1, value);
            m.end(data);
        });
    }

    /** Loads {@code length} bytes at {@code offset} of the network header, as {@code ip saddr} does. */
    public static NfExpression payload(int offset, int length, int register) {
        return new NfExpression("payload", m -> m.attrBe32(1, register).attrBe32(2, PAYLOAD_NETWORK_HEADER)
                .attrBe32(3, offset).attrBe32(4, length));
    }

    /** {@code register = (register & mask) ^ 0}, the prefix half of {@code ip saddr 10.0.0.0/24}. */
    public static NfExpression mask(int register, byte[] mask) {
        return new NfExpression("bitwise", m -> {
            m.attrBe32(1, register).attrBe32(2, register).attrBe32(3, mask.length);
            int maskNest = m.nest(4);
            m.attr(1, mask);
            m.end(maskNest);
            int xorNest = m.nest(5);
            m.attr(1, new byte[mask.length]);
            m.end(xorNest);
        });
    }

    /** Equivalent to {@code masquerade}. */
    public static NfExpression masquerade() {
        return new NfExpression("masq", null);
    }

    /** Equivalent to {@code counter}. */
    public static NfExpression counter() {
        return new NfExpression("counter", null);
    }

    /** Equivalent to {@code accept} or {@code drop}. */
    public static NfExpression verdict(int code) {
        return new NfExpression("immediate", m -> {
            m.attrBe32(1, REG_VERDICT);
            int data = m.nest(2);
            int verdict = m.nest(2);
            m.attrBe32(1, code);
            m.end(verdict);
            m.end(data);
        });
    }

    /** An interface name as meta iifname/oifname compares it: NUL-padded to IFNAMSIZ. */
    public static byte[] interfaceName(String name) {
        byte[] padded = new byte[16];
        byte[] raw = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(raw, 0, padded, 0, Math.min(raw.length, 15));
        return padded;
    }

    void writeTo(NetlinkMessage m) {
        int element = m.nest(1);
        m.attrString(1, name);
        if (data != null) {
            int nest = m.nest(2);
            data.accept(m);
            m.end(nest);
        }
        m.end(element);
    }
}
