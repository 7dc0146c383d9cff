package dev.isonet.internal.netlink;

import java.util.ArrayList;
import java.util.List;

/**
 * nf_tables over NETLINK_NETFILTER, on a socket bound to one namespace. Changes are collected in a
 * {@link Batch} and committed as one transaction: the kernel applies all of it or none.
 */
public final class NfTables implements AutoCloseable {
    public static final int FAMILY_INET = 1;
    public static final int FAMILY_IPV4 = 2;
    public static final int FAMILY_IPV6 = 10;
    public static final int HOOK_PREROUTING = 0;
    public static final int HOOK_INPUT = 1;
    public static final int HOOK_FORWARD = 2;
    public static final int HOOK_OUTPUT = 3;
    public static final int HOOK_POSTROUTING = 4;
    /** Tables flagged so are bound to the socket that made them: the kernel drops them when it closes. */
    public static final int TABLE_F_OWNER = 0x2;
    static final int SUBSYS_NFTABLES = 10;
    static final int MSG_BATCH_BEGIN = 0x10;
    static final int MSG_BATCH_END = 0x11;
    static final int MSG_NEWTABLE = 0;
    static final int MSG_GETTABLE = 1;
    static final int MSG_DELTABLE = 2;
    static final int MSG_NEWCHAIN = 3;
    static final int MSG_NEWRULE = 6;
    private static final int NLM_F_APPEND = 0x800;

    private final NetlinkSocket socket;

    public NfTables(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Opens nf_tables in the calling thread's network namespace. */
    public static NfTables open(String where) {
        return new NfTables(NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER, where));
    }

    static NetlinkMessage message(int type, int flags, int family) {
        // nfgenmsg: family, version 0, res_id 0 (big-endian)
        return NetlinkMessage.of((SUBSYS_NFTABLES << 8) | type, flags).u8(family).u8(0).u16(0);
    }

    static NetlinkMessage batchMarker(int type) {
        // res_id names the subsystem, in network byte order.
        return NetlinkMessage.of(type, NetlinkMessage.NLM_F_REQUEST).u8(0).u8(0)
                .u16(Short.toUnsignedInt(Short.reverseBytes((short) SUBSYS_NFTABLES)));
    }

    public Batch batch() {
        return new Batch();
    }

    /** Equivalent to: {@code nft list tables}, as family and name. */
    public List<String> tableList() {
        List<String> tables = new ArrayList<>();
        NetlinkMessage request = message(MSG_GETTABLE, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_DUMP, 0);
        for (Reply reply : socket.dump("list nf_tables tables", request)) {
            if ((reply.type() & 0xff) == MSG_NEWTABLE) {
                tables.add(familyName(reply.headerU8(0)) + " " + reply.attributes(4).string(1));
            }
        }
        return tables;
    }

    static String familyName(int family) {
        return switch (family) {
            case FAMILY_INET -> "inet";
            case FAMILY_IPV4 -> "ip";
            case FAMILY_IPV6 -> "ip6";
            case 3 -> "arp";
            case 5 -> "netdev";
            case 7 -> "bridge";
            default -> "family" + family;
        };
    }

    /** One transaction. Nothing reaches the kernel until {@link #commit()}. */
    public final class Batch {
        private final List<Request> requests = new ArrayList<>();

        private static final int CREATE = NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK
                | NetlinkMessage.NLM_F_CREATE;

        /** Equivalent to: {@code nft add table $family $name}. */
        public Batch tableAdd(int family, String name, int flags) {
            NetlinkMessage m = message(MSG_NEWTABLE, CREATE, family).attrString(1, name);
            if (flags != 0) {
                m.attrBe32(2, flags);
            }
            requests.add(new Request("add nf_tables table", familyName(family) + " " + name, m));
            return this;
        }

        /** Equivalent to: {@code nft delete table $family $name}. */
        public Batch tableDel(int family, String name) {
            NetlinkMessage m = message(MSG_DELTABLE, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK, family)
                    .attrString(1, name);
            requests.add(new Request("delete nf_tables table", familyName(family) + " " + name, m));
            return this;
        }

        /**
         * Equivalent to: {@code nft add chain $family $table $name { type $type hook $hook priority $p; policy
         * accept; }}.
         */
        public Batch chainAdd(int family, String table, String name, String type, int hook, int priority) {
            NetlinkMessage m = message(MSG_NEWCHAIN, CREATE, family).attrString(1, table).attrString(3, name);
            int hookNest = m.nest(4);
            m.attrBe32(1, hook).attrBe32(2, priority);
            m.end(hookNest);
            m.attrBe32(5, NfExpression.VERDICT_ACCEPT).attrString(7, type);
            requests.add(new Request("add nf_tables chain", familyName(family) + " " + table + " " + name, m));
            return this;
        }

        /** Equivalent to: {@code nft add rule $family $table $chain <expressions>}. */
        public Batch ruleAdd(int family, String table, String chain, List<NfExpression> expressions) {
            NetlinkMessage m = message(MSG_NEWRULE, CREATE | NLM_F_APPEND, family)
                    .attrString(1, table).attrString(2, chain);
            int list = m.nest(4);
            for (NfExpression expression : expressions) {
                expression.writeTo(m);
            }
            m.end(list);
            StringBuilder what = new StringBuilder(familyName(family) + " " + table + " " + chain + ":");
            expressions.forEach(e -> what.append(' ').append(e.name()));
            requests.add(new Request("add nf_tables rule", what.toString(), m));
            return this;
        }

        List<Request> requests() {
            return requests;
        }

        /** Sends the whole batch and waits for the kernel's answer to each change. */
        public void commit() {
            socket.transact(requests, batchMarker(MSG_BATCH_BEGIN), batchMarker(MSG_BATCH_END));
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
