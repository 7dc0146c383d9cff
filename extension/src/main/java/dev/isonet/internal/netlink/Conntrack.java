package dev.isonet.internal.netlink;

import java.util.List;

/**
 * The connection tracking table of one namespace, over ctnetlink (NETLINK_NETFILTER, subsystem
 * NFNL_SUBSYS_CTNETLINK), on a socket opened inside it.
 */
public final class Conntrack implements AutoCloseable {
    static final int NFNL_SUBSYS_CTNETLINK = 1;
    static final int IPCTNL_MSG_CT_NEW = 0;
    static final int IPCTNL_MSG_CT_GET = 1;
    static final int IPCTNL_MSG_CT_DELETE = 2;
    /** nfgenmsg family AF_UNSPEC: every layer-3 family (the kernel filters by family only when it is set). */
    static final int AF_UNSPEC = 0;

    private final NetlinkSocket socket;

    public Conntrack(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Opens ctnetlink in the calling thread's network namespace, which {@code where} names in errors. */
    public static Conntrack open(String where) {
        return new Conntrack(NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER, where));
    }

    private static NetlinkMessage message(int type, int flags) {
        // nfgenmsg: family, version, res_id 0
        return NetlinkMessage.of((NFNL_SUBSYS_CTNETLINK << 8) | type, flags).u8(AF_UNSPEC).u8(0).u16(0);
    }

    /**
     * Equivalent to: {@code conntrack -F} for IPv4 and IPv6 at once: a delete without a tuple deletes every entry
     * of the namespace (expectations are kept; nothing here uses helpers, so there are none).
     */
    public static Request flushRequest() {
        return new Request("flush connection tracking", "every entry",
                message(IPCTNL_MSG_CT_DELETE, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK));
    }

    /** Deletes every entry of the namespace; see {@link #flushRequest()}. */
    public void flush() {
        socket.transact(List.of(flushRequest()), null, null);
    }

    /** Equivalent to: {@code conntrack -L | wc -l}: how many entries the namespace has, both families. */
    public int count() {
        int entries = 0;
        for (Reply reply : socket.dump("list connection tracking",
                message(IPCTNL_MSG_CT_GET, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_DUMP))) {
            if (reply.type() == ((NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW)) {
                entries++;
            }
        }
        return entries;
    }

    @Override
    public void close() {
        socket.close();
    }
}
