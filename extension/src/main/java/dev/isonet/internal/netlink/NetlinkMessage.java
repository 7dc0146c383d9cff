package dev.isonet.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one netlink message: the 16-byte header, a family header, then attributes (4-byte aligned).
 * rtnetlink integers are host-endian; nf_tables payload integers are big-endian ({@link #attrBe32}).
 */
public final class NetlinkMessage {
    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int NLA_F_NESTED = 0x8000;
    static final int HEADER_LENGTH = 16;

    private ByteBuffer buffer = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());

    private NetlinkMessage(int type, int flags) {
        buffer.putInt(0).putShort((short) type).putShort((short) flags).putInt(0).putInt(0);
    }

    public static NetlinkMessage of(int type, int flags) {
        return new NetlinkMessage(type, flags);
    }

    private void ensure(int extra) {
        if (buffer.remaining() < extra) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + extra))
                    .order(ByteOrder.nativeOrder());
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
    }

    public NetlinkMessage u8(int value) {
        ensure(1);
        buffer.put((byte) value);
        return this;
    }

    public NetlinkMessage u16(int value) {
        ensure(2);
        buffer.putShort((short) value);
        return this;
    }

    public NetlinkMessage u32(int value) {
        ensure(4);
        buffer.putInt(value);
        return this;
    }

    public NetlinkMessage bytes(byte[] value) {
        ensure(value.length);
        buffer.put(value);
        return this;
    }

    private void pad() {
        int padding = (4 - (buffer.position() & 3)) & 3;
        ensure(padding);
        for (int i = 0; i < padding; i++) {
            buffer.put((byte) 0);
        }
    }

    public NetlinkMessage attr(int type, byte[] value) {
        pad();
        ensure(4 + value.length + 3);
        buffer.putShort((short) (4 + value.length)).putShort((short) type).put(value);
        pad();
        return this;
    }

    public NetlinkMessage attrU32(int type, int value) {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value);
        return attr(type, b.array());
    }

    public NetlinkMessage attrBe32(int type, int value) {
        return attr(type, ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(value).array());
    }

    public NetlinkMessage attrBe64(int type, long value) {
        return attr(type, ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(value).array());
    }

    /** A NUL-terminated string, as the kernel's NLA_STRING and NLA_NUL_STRING both accept. */
    public NetlinkMessage attrString(int type, String value) {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        return attr(type, Arrays.copyOf(text, text.length + 1));
    }

    /** Opens a nested attribute; close it with {@link #end(int)}. */
    public int nest(int type) {
        pad();
        ensure(4);
        int start = buffer.position();
        buffer.putShort((short) 0).putShort((short) (type | NLA_F_NESTED));
        return start;
    }

    public NetlinkMessage end(int nestStart) {
        buffer.putShort(nestStart, (short) (buffer.position() - nestStart));
        return this;
    }

    /** The finished message with its length and sequence number filled in. */
    public byte[] toBytes(int sequence) {
        pad();
        buffer.putInt(0, buffer.position());
        buffer.putInt(8, sequence);
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    public int type() {
        return buffer.getShort(4) & 0xffff;
    }
}
