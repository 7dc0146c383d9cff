package dev.isonet.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** One message received from the kernel: its type, its family header and its attributes. */
public final class Reply {
    private final ByteBuffer buffer;
    private final int offset;
    private final int length;

    Reply(ByteBuffer buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    public int type() {
        return buffer.getShort(offset + 4) & 0xffff;
    }

    public int flags() {
        return buffer.getShort(offset + 6) & 0xffff;
    }

    public int sequence() {
        return buffer.getInt(offset + 8);
    }

    /** A byte of the family header (which starts right after the netlink header). */
    public int headerU8(int at) {
        return buffer.get(offset + NetlinkMessage.HEADER_LENGTH + at) & 0xff;
    }

    public int headerU32(int at) {
        return buffer.getInt(offset + NetlinkMessage.HEADER_LENGTH + at);
    }

    public Attributes attributes(int familyHeaderLength) {
        int start = offset + NetlinkMessage.HEADER_LENGTH + ((familyHeaderLength + 3) & ~3);
        return new Attributes(buffer, start, offset + length);
    }

    static Reply copyOf(byte[] data, int offset, int length) {
        ByteBuffer copy = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        copy.put(data, offset, length).flip();
        return new Reply(copy, 0, length);
    }
}
