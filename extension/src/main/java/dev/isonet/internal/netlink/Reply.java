package dev.isonet.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** One message received from the kernel: its type, its family header and its attributes. */
public final class Reply {
    private static final int NLM_F_ACK_TLVS = 0x200;
    private static final int NLMSGERR_ATTR_MSG = 1;
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

    public int headerU16(int at) {
        return buffer.getShort(offset + NetlinkMessage.HEADER_LENGTH + at) & 0xffff;
    }

    /** Bytes of the family header, such as a socket id or an address inside it. */
    public byte[] headerBytes(int at, int length) {
        byte[] value = new byte[length];
        buffer.get(offset + NetlinkMessage.HEADER_LENGTH + at, value);
        return value;
    }

    public int headerU32(int at) {
        return buffer.getInt(offset + NetlinkMessage.HEADER_LENGTH + at);
    }

    public Attributes attributes(int familyHeaderLength) {
        int start = offset + NetlinkMessage.HEADER_LENGTH + ((familyHeaderLength + 3) & ~3);
        return new Attributes(buffer, start, offset + length);
    }

    /** For an NLMSG_ERROR: the errno it carries (0 for an ACK). */
    public int errno() {
        return -buffer.getInt(offset + NetlinkMessage.HEADER_LENGTH);
    }

    /** For an NLMSG_ERROR: the kernel's extended-ack text, or null. */
    public String extendedAck() {
        if ((flags() & NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        // error code, then the echoed request header (only its header, thanks to NETLINK_CAP_ACK).
        int tlvStart = offset + NetlinkMessage.HEADER_LENGTH + 4 + NetlinkMessage.HEADER_LENGTH;
        return new Attributes(buffer, tlvStart, offset + length).string(NLMSGERR_ATTR_MSG);
    }

    /** The messages of one received datagram, each copied out of the (reused) receive buffer. */
    static List<Reply> split(byte[] data, int length) {
        List<Reply> replies = new ArrayList<>();
        ByteBuffer view = ByteBuffer.wrap(data, 0, length).order(ByteOrder.nativeOrder());
        for (int at = 0; at + NetlinkMessage.HEADER_LENGTH <= length; ) {
            int messageLength = view.getInt(at);
            if (messageLength < NetlinkMessage.HEADER_LENGTH || at + messageLength > length) {
                break;
            }
            replies.add(copyOf(data, at, messageLength));
            at += (messageLength + 3) & ~3;
        }
        return replies;
    }

    static Reply copyOf(byte[] data, int offset, int length) {
        ByteBuffer copy = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        copy.put(data, offset, length).flip();
        return new Reply(copy, 0, length);
    }
}
