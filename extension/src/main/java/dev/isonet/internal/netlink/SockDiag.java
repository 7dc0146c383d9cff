package dev.isonet.internal.netlink;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * sock_diag (NETLINK_SOCK_DIAG) on a socket bound to one namespace: the sockets of that namespace, as
 * {@code ss} lists them, read without connecting to anything, and SOCK_DESTROY, which aborts a socket
 * whoever holds it (linux/sock_diag.h, linux/inet_diag.h, linux/unix_diag.h; CONFIG_INET_DIAG_DESTROY).
 */
public final class SockDiag implements AutoCloseable {
    static final int SOCK_DIAG_BY_FAMILY = 20;
    static final int SOCK_DESTROY = 21;
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    /** TCP states (include/net/tcp_states.h); a bound, unconnected UDP socket is CLOSE, a connected one ESTABLISHED. */
    public static final int TCP_ESTABLISHED = 1;
    public static final int TCP_CLOSE = 7;
    public static final int TCP_LISTEN = 10;
    /** A state filter that lets every state through: TCP states 0 to 11, as {@code ss -a} asks. */
    public static final int ALL_STATES = 0xfff;
    static final int UDIAG_SHOW_NAME = 0x1;
    static final int UNIX_DIAG_NAME = 0;
    private static final int UNIX_DIAG_MSG_LENGTH = 16;
    private static final String[] TCP_STATES = {"?", "ESTABLISHED", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1",
            "FIN-WAIT-2", "TIME-WAIT", "CLOSE", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING", "NEW-SYN-RECV"};

    private final NetlinkSocket socket;

    private SockDiag(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Opens sock_diag in the calling thread's network namespace: it sees that namespace's sockets. */
    public static SockDiag open(String where) {
        return new SockDiag(NetlinkSocket.open(NetlinkSocket.NETLINK_SOCK_DIAG, where));
    }

    /** A filter mask that lets the given states through, such as {@code states(TCP_LISTEN)}. */
    public static int states(int... states) {
        int mask = 0;
        for (int state : states) {
            mask |= 1 << state;
        }
        return mask;
    }

    /**
     * A TCP or UDP socket as {@code ss -tuane} lists it. {@code interfaceIndex} is the bound device (0 for
     * none), and {@code cookie} with the addresses names the socket to {@link #destroy}. The JDK's sockets
     * are dual-stack: they are listed as AF_INET6, with IPv4-mapped addresses (read here as IPv4 ones).
     */
    public record InetSocket(int family, int protocol, int state, InetAddress source, int sourcePort,
                             InetAddress destination, int destinationPort, int interfaceIndex, long cookie,
                             long inode, int uid) {
        public String stateName() {
            return state >= 0 && state < TCP_STATES.length ? TCP_STATES[state] : "" + state;
        }

        @Override
        public String toString() {
            return (protocol == IPPROTO_TCP ? "tcp " : protocol == IPPROTO_UDP ? "udp " : "proto " + protocol + " ")
                    + stateName() + " " + source.getHostAddress() + ":" + sourcePort + " -> "
                    + destination.getHostAddress() + ":" + destinationPort + " inode " + inode;
        }
    }

    /** A Unix socket; {@code name} is null when unbound, and without the leading NUL for an abstract name. */
    public record UnixSocket(int type, int state, long inode, String name, boolean abstractName) {}

    /**
     * Equivalent to: {@code ss -tan} (TCP) or {@code ss -uan} (UDP) for one family, {@code -4} or
     * {@code -6}, keeping the sockets whose state is in {@code states} (see {@link #states}).
     */
    public List<InetSocket> inetList(int family, int protocol, int states) {
        List<InetSocket> sockets = new ArrayList<>();
        for (Reply reply : socket.dump("list " + name(family, protocol) + " sockets",
                inetDumpRequest(family, protocol, states))) {
            if (reply.type() == SOCK_DIAG_BY_FAMILY) {
                sockets.add(inetSocket(reply, protocol));
            }
        }
        return sockets;
    }

    /** Both families of {@link #inetList}: IPv4, then IPv6 (where IPv4-mapped dual-stack sockets appear). */
    public List<InetSocket> inetList(int protocol, int states) {
        List<InetSocket> sockets = new ArrayList<>(inetList(AF_INET, protocol, states));
        sockets.addAll(inetList(AF_INET6, protocol, states));
        return sockets;
    }

    /** The dump request of {@code ss}: an inet_diag_req_v2 with no extensions and an empty socket id. */
    static NetlinkMessage inetDumpRequest(int family, int protocol, int states) {
        return NetlinkMessage.of(SOCK_DIAG_BY_FAMILY, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_DUMP)
                .u8(family).u8(protocol).u8(0).u8(0).u32(states).bytes(new byte[48]);
    }

    static InetSocket inetSocket(Reply reply, int protocol) {
        int family = reply.headerU8(0);
        int length = family == AF_INET ? 4 : 16;
        return new InetSocket(family, protocol, reply.headerU8(1),
                Rtnetlink.toAddress(reply.headerBytes(8, length)), bigEndianU16(reply.headerBytes(4, 2)),
                Rtnetlink.toAddress(reply.headerBytes(24, length)), bigEndianU16(reply.headerBytes(6, 2)),
                reply.headerU32(40), (reply.headerU32(44) & 0xffffffffL) | ((long) reply.headerU32(48) << 32),
                reply.headerU32(68) & 0xffffffffL, reply.headerU32(64));
    }

    /**
     * Equivalent to: {@code ss -K} for one socket: the kernel aborts it with ECONNABORTED, whichever process
     * holds it. A listening TCP socket stops listening (a blocked accept returns); an established one sends a
     * reset (a blocked read returns); a UDP socket is disconnected with the error pending. The socket is
     * named by its addresses, ports, interface and cookie, as the dump gave them; ENOENT if it is gone.
     */
    public static Request destroy(InetSocket target) {
        NetlinkMessage m = NetlinkMessage.of(SOCK_DESTROY, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK)
                .u8(target.family()).u8(target.protocol()).u8(0).u8(0).u32(0)
                .bytes(socketId(target));
        return new Request("destroy socket", target.toString(), m);
    }

    /** struct inet_diag_sockid: ports and addresses in network order, interface and cookie host-endian. */
    private static byte[] socketId(InetSocket s) {
        ByteBuffer id = ByteBuffer.allocate(48).order(ByteOrder.nativeOrder());
        id.put((byte) (s.sourcePort() >> 8)).put((byte) s.sourcePort());
        id.put((byte) (s.destinationPort() >> 8)).put((byte) s.destinationPort());
        id.put(wire(s.family(), s.source()));
        id.put(wire(s.family(), s.destination()));
        id.putInt(s.interfaceIndex()).putInt((int) s.cookie()).putInt((int) (s.cookie() >>> 32));
        return id.array();
    }

    /** Sends the requests (such as {@link #destroy}) in one datagram and waits for every ACK. */
    public void apply(Request... requests) {
        socket.transact(List.of(requests), null, null);
    }

    /**
     * Equivalent to: {@code ss -xa}: every Unix socket of the namespace with its name. Abstract names live
     * in the network namespace, so this shows which abstract names (locks, leases) are held in it.
     */
    public List<UnixSocket> unixList() {
        List<UnixSocket> sockets = new ArrayList<>();
        for (Reply reply : socket.dump("list unix sockets", unixDumpRequest())) {
            if (reply.type() == SOCK_DIAG_BY_FAMILY) {
                sockets.add(unixSocket(reply));
            }
        }
        return sockets;
    }

    /** A unix_diag_req for every state, asking for names only. */
    static NetlinkMessage unixDumpRequest() {
        return NetlinkMessage.of(SOCK_DIAG_BY_FAMILY, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_DUMP)
                .u8(AF_UNIX).u8(0).u16(0).u32(ALL_STATES).u32(0).u32(UDIAG_SHOW_NAME).u32(0).u32(0);
    }

    static UnixSocket unixSocket(Reply reply) {
        byte[] raw = reply.attributes(UNIX_DIAG_MSG_LENGTH).bytes(UNIX_DIAG_NAME);
        String name = null;
        boolean abstractName = false;
        if (raw != null && raw.length > 0) {
            abstractName = raw[0] == 0;
            if (abstractName) {
                name = new String(raw, 1, raw.length - 1, StandardCharsets.UTF_8);
            } else {
                int end = 0;
                while (end < raw.length && raw[end] != 0) {
                    end++;
                }
                name = new String(raw, 0, end, StandardCharsets.UTF_8);
            }
        }
        return new UnixSocket(reply.headerU8(1), reply.headerU8(2), reply.headerU32(4) & 0xffffffffL, name,
                abstractName);
    }

    /**
     * An address as the kernel keeps it: 4 bytes (zero-padded) for AF_INET; 16 for AF_INET6, where the JDK
     * reads an IPv4-mapped address (a dual-stack socket's, such as ::ffff:127.0.0.1) as IPv4.
     */
    private static byte[] wire(int family, InetAddress address) {
        byte[] raw = address.getAddress();
        if (family == AF_INET6 && raw.length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(raw, 0, mapped, 12, 4);
            return mapped;
        }
        return Arrays.copyOf(raw, 16);
    }

    private static int bigEndianU16(byte[] two) {
        return ((two[0] & 0xff) << 8) | (two[1] & 0xff);
    }

    private static String name(int family, int protocol) {
        return (protocol == IPPROTO_TCP ? "TCP" : protocol == IPPROTO_UDP ? "UDP" : "protocol " + protocol)
                + (family == AF_INET ? "/IPv4" : family == AF_INET6 ? "/IPv6" : "/family " + family);
    }

    @Override
    public void close() {
        socket.close();
    }
}
