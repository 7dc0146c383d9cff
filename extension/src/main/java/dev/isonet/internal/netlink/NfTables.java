package dev.isonet.internal.netlink;

import static dev.isonet.internal.netlink.NfUapi.*;

import dev.isonet.internal.linux.LinuxException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * nf_tables over NETLINK_NETFILTER, on a socket bound to one namespace. Changes are collected in a
 * {@link Batch} and committed as one transaction: the kernel applies all of it or none. Lists (tables,
 * chains, rules, sets, set elements) are dumps, read back into records whose text reads like nft's.
 */
public final class NfTables implements AutoCloseable {
    public static final int FAMILY_INET = 1;
    public static final int FAMILY_IPV4 = 2;
    public static final int FAMILY_ARP = 3;
    public static final int FAMILY_NETDEV = 5;
    public static final int FAMILY_BRIDGE = 7;
    public static final int FAMILY_IPV6 = 10;
    /** Hooks of the ip, ip6, inet and bridge families (NF_INET_* and NF_BR_* share these numbers). */
    public static final int HOOK_PREROUTING = 0;
    public static final int HOOK_INPUT = 1;
    public static final int HOOK_FORWARD = 2;
    public static final int HOOK_OUTPUT = 3;
    public static final int HOOK_POSTROUTING = 4;
    /** nft's {@code priority filter} in the bridge family (NF_BR_PRI_FILTER_BRIDGED). */
    public static final int BRIDGE_PRIORITY_FILTER = -200;
    /** Tables flagged so are bound to the socket that made them: the kernel drops them when it closes. */
    public static final int TABLE_F_OWNER = 0x2;
    /** Set flags: ranges ({@code flags interval}), elements that expire ({@code flags timeout}). */
    public static final int SET_F_INTERVAL = NFT_SET_INTERVAL;
    public static final int SET_F_TIMEOUT = NFT_SET_TIMEOUT;
    static final int SUBSYS_NFTABLES = NFNL_SUBSYS_NFTABLES;
    static final int MSG_BATCH_BEGIN = NFNL_MSG_BATCH_BEGIN;
    static final int MSG_BATCH_END = NFNL_MSG_BATCH_END;
    static final int MSG_NEWTABLE = NFT_MSG_NEWTABLE;
    private static final int NLM_F_APPEND = 0x800;
    private static final int DUMP = NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_DUMP;

    private final NetlinkSocket socket;

    public NfTables(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Opens nf_tables in the calling thread's network namespace. */
    public static NfTables open(String where) {
        return new NfTables(NetlinkSocket.open(NetlinkSocket.NETLINK_NETFILTER, where));
    }

    static NetlinkMessage message(int type, int flags, int family) {
        // nfgenmsg: family, version, res_id 0 (big-endian)
        return NetlinkMessage.of((NFNL_SUBSYS_NFTABLES << 8) | type, flags).u8(family).u8(NFNETLINK_V0).u16(0);
    }

    static NetlinkMessage batchMarker(int type) {
        // res_id names the subsystem, in network byte order.
        return NetlinkMessage.of(type, NetlinkMessage.NLM_F_REQUEST).u8(0).u8(NFNETLINK_V0)
                .u16(Short.toUnsignedInt(Short.reverseBytes((short) NFNL_SUBSYS_NFTABLES)));
    }

    public Batch batch() {
        return new Batch();
    }

    /** Equivalent to: {@code nft list tables}, as family and name. */
    public List<String> tableList() {
        return tables().stream().map(table -> familyName(table.family()) + " " + table.name()).toList();
    }

    private record Table(int family, String name) {}

    private List<Table> tables() {
        List<Table> tables = new ArrayList<>();
        for (Reply reply : dump("list nf_tables tables", message(NFT_MSG_GETTABLE, DUMP, 0), NFT_MSG_NEWTABLE)) {
            tables.add(new Table(reply.headerU8(0), reply.attributes(4).string(NFTA_TABLE_NAME)));
        }
        return tables;
    }

    /**
     * Equivalent to: {@code nft -a list ruleset}, in this package's words: each table with its sets (and
     * their elements as hex keys), its chains, and each chain's rules with their handles. For diagnostics.
     */
    public String rulesetText() {
        StringBuilder text = new StringBuilder();
        List<NfChain> chains = chainList();
        for (Table table : tables()) {
            text.append("table ").append(familyName(table.family())).append(' ').append(table.name()).append('\n');
            try {
                appendTable(text, table, chains);
            } catch (LinuxException e) {
                if (e.errno() != LinuxException.ENOENT) {
                    throw e;
                }
                text.append("  (deleted while it was listed)\n");
            }
        }
        return text.toString();
    }

    private void appendTable(StringBuilder text, Table table, List<NfChain> chains) {
        for (NfSet set : setList(table.family(), table.name())) {
            StringJoiner elements = new StringJoiner(", ", " elements { ", " }").setEmptyValue("");
            for (byte[] key : setElementList(table.family(), table.name(), set.name())) {
                elements.add(NfExpressionText.hex(key));
            }
            text.append("  set ").append(set.name()).append(" { type ").append(NfSetKey.typeName(set.keyType()))
                    .append("; }").append(elements).append('\n');
        }
        List<NfRule> rules = ruleList(table.family(), table.name());
        for (NfChain chain : chains) {
            if (chain.family() != table.family() || !chain.table().equals(table.name())) {
                continue;
            }
            text.append("  chain ").append(chain.declaration()).append('\n');
            for (NfRule rule : rules) {
                if (rule.chain().equals(chain.name())) {
                    text.append("    ").append(rule.text()).append(" # handle ").append(rule.handle()).append('\n');
                }
            }
        }
    }

    /** Equivalent to: {@code nft list chains}, every family and table. */
    public List<NfChain> chainList() {
        List<NfChain> chains = new ArrayList<>();
        for (Reply reply : dump("list nf_tables chains", message(NFT_MSG_GETCHAIN, DUMP, 0), NFT_MSG_NEWCHAIN)) {
            chains.add(NfChain.from(reply));
        }
        return chains;
    }

    /** Equivalent to: {@code nft -a list table $family $table}, the rules only, chain by chain. */
    public List<NfRule> ruleList(int family, String table) {
        NetlinkMessage request = message(NFT_MSG_GETRULE, DUMP, family).attrString(NFTA_RULE_TABLE, table);
        List<NfRule> rules = new ArrayList<>();
        for (Reply reply : dump("list nf_tables rules of " + familyName(family) + " " + table, request,
                NFT_MSG_NEWRULE)) {
            rules.add(NfRule.from(reply));
        }
        return rules;
    }

    /** Equivalent to: {@code nft list sets table $family $table}. */
    public List<NfSet> setList(int family, String table) {
        NetlinkMessage request = message(NFT_MSG_GETSET, DUMP, family).attrString(NFTA_SET_TABLE, table);
        List<NfSet> sets = new ArrayList<>();
        for (Reply reply : dump("list nf_tables sets of " + familyName(family) + " " + table, request,
                NFT_MSG_NEWSET)) {
            sets.add(NfSet.from(reply));
        }
        return sets;
    }

    /** Equivalent to: {@code nft list set $family $table $set}, the element keys only, as the kernel holds them. */
    public List<byte[]> setElementList(int family, String table, String set) {
        NetlinkMessage request = message(NFT_MSG_GETSETELEM, DUMP, family)
                .attrString(NFTA_SET_ELEM_LIST_TABLE, table).attrString(NFTA_SET_ELEM_LIST_SET, set);
        List<byte[]> keys = new ArrayList<>();
        for (Reply reply : dump("list nf_tables set " + familyName(family) + " " + table + " " + set, request,
                NFT_MSG_NEWSETELEM)) {
            keys.addAll(elementKeys(reply));
        }
        return keys;
    }

    /** The keys of the elements in one NFT_MSG_NEWSETELEM message. */
    static List<byte[]> elementKeys(Reply reply) {
        List<byte[]> keys = new ArrayList<>();
        AttributeList elements = AttributeList.ofMessage(reply).nested(NFTA_SET_ELEM_LIST_ELEMENTS);
        for (AttributeList.Attribute element : elements.all()) {
            byte[] key = element.nested().nested(NFTA_SET_ELEM_KEY).bytes(NFTA_DATA_VALUE);
            if (key != null) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** The replies of a dump that are of the given nf_tables message type; others are skipped. */
    private List<Reply> dump(String operation, NetlinkMessage request, int type) {
        List<Reply> replies = new ArrayList<>();
        for (Reply reply : socket.dump(operation, request)) {
            if (reply.type() == ((NFNL_SUBSYS_NFTABLES << 8) | type)) {
                replies.add(reply);
            }
        }
        return replies;
    }

    static String familyName(int family) {
        return switch (family) {
            case FAMILY_INET -> "inet";
            case FAMILY_IPV4 -> "ip";
            case FAMILY_IPV6 -> "ip6";
            case FAMILY_ARP -> "arp";
            case FAMILY_NETDEV -> "netdev";
            case FAMILY_BRIDGE -> "bridge";
            default -> "family" + family;
        };
    }

    /** One transaction. Nothing reaches the kernel until {@link #commit()}. */
    public final class Batch {
        private final List<Request> requests = new ArrayList<>();
        private int lastSetId;

        private static final int CREATE = NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK
                | NetlinkMessage.NLM_F_CREATE;
        private static final int CHANGE = NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK;

        private Batch add(String operation, String object, NetlinkMessage m) {
            requests.add(new Request(operation, object, m));
            return this;
        }

        /** Equivalent to: {@code nft add table $family $name}. */
        public Batch tableAdd(int family, String name, int flags) {
            NetlinkMessage m = message(NFT_MSG_NEWTABLE, CREATE, family).attrString(NFTA_TABLE_NAME, name);
            if (flags != 0) {
                m.attrBe32(NFTA_TABLE_FLAGS, flags);
            }
            return add("add nf_tables table", familyName(family) + " " + name, m);
        }

        /** Equivalent to: {@code nft delete table $family $name}. */
        public Batch tableDel(int family, String name) {
            NetlinkMessage m = message(NFT_MSG_DELTABLE, CHANGE, family).attrString(NFTA_TABLE_NAME, name);
            return add("delete nf_tables table", familyName(family) + " " + name, m);
        }

        /**
         * Equivalent to: {@code nft add chain $family $table $name { type $type hook $hook priority $p; policy
         * accept; }}.
         */
        public Batch chainAdd(int family, String table, String name, String type, int hook, int priority) {
            return chainAdd(family, table, name, type, hook, priority, NfExpression.VERDICT_ACCEPT);
        }

        /**
         * Equivalent to: {@code nft add chain $family $table $name { type $type hook $hook priority $p; policy
         * $policy; }}, with {@code policy} {@link NfExpression#VERDICT_ACCEPT} or {@link
         * NfExpression#VERDICT_DROP}. In the bridge family the hooks are those of bridged frames: prerouting,
         * input (to the bridge itself), forward (port to port), output (from the bridge), postrouting.
         */
        public Batch chainAdd(int family, String table, String name, String type, int hook, int priority,
                              int policy) {
            NetlinkMessage m = message(NFT_MSG_NEWCHAIN, CREATE, family).attrString(NFTA_CHAIN_TABLE, table)
                    .attrString(NFTA_CHAIN_NAME, name);
            int hookNest = m.nest(NFTA_CHAIN_HOOK);
            m.attrBe32(NFTA_HOOK_HOOKNUM, hook).attrBe32(NFTA_HOOK_PRIORITY, priority);
            m.end(hookNest);
            m.attrBe32(NFTA_CHAIN_POLICY, policy).attrString(NFTA_CHAIN_TYPE, type);
            return add("add nf_tables chain", familyName(family) + " " + table + " " + name, m);
        }

        /** Equivalent to: {@code nft add chain $family $table $name}: a regular chain, for jump and goto. */
        public Batch chainAdd(int family, String table, String name) {
            NetlinkMessage m = message(NFT_MSG_NEWCHAIN, CREATE, family).attrString(NFTA_CHAIN_TABLE, table)
                    .attrString(NFTA_CHAIN_NAME, name);
            return add("add nf_tables chain", familyName(family) + " " + table + " " + name, m);
        }

        /** Equivalent to: {@code nft delete chain $family $table $name}. The chain must be empty and unreferenced. */
        public Batch chainDel(int family, String table, String name) {
            NetlinkMessage m = message(NFT_MSG_DELCHAIN, CHANGE, family).attrString(NFTA_CHAIN_TABLE, table)
                    .attrString(NFTA_CHAIN_NAME, name);
            return add("delete nf_tables chain", familyName(family) + " " + table + " " + name, m);
        }

        /** Equivalent to: {@code nft flush chain $family $table $chain}: deletes every rule of the chain. */
        public Batch chainFlush(int family, String table, String chain) {
            NetlinkMessage m = message(NFT_MSG_DELRULE, CHANGE, family).attrString(NFTA_RULE_TABLE, table)
                    .attrString(NFTA_RULE_CHAIN, chain);
            return add("flush nf_tables chain", familyName(family) + " " + table + " " + chain, m);
        }

        /** Equivalent to: {@code nft add rule $family $table $chain <expressions>}. */
        public Batch ruleAdd(int family, String table, String chain, List<NfExpression> expressions) {
            NetlinkMessage m = message(NFT_MSG_NEWRULE, CREATE | NLM_F_APPEND, family)
                    .attrString(NFTA_RULE_TABLE, table).attrString(NFTA_RULE_CHAIN, chain);
            int list = m.nest(NFTA_RULE_EXPRESSIONS);
            for (NfExpression expression : expressions) {
                expression.writeTo(m);
            }
            m.end(list);
            StringJoiner what = new StringJoiner("; ", familyName(family) + " " + table + " " + chain + ": ", "");
            expressions.forEach(e -> what.add(e.toString()));
            return add("add nf_tables rule", what.toString(), m);
        }

        /** Equivalent to: {@code nft delete rule $family $table $chain handle $handle}. */
        public Batch ruleDel(int family, String table, String chain, long handle) {
            NetlinkMessage m = message(NFT_MSG_DELRULE, CHANGE, family).attrString(NFTA_RULE_TABLE, table)
                    .attrString(NFTA_RULE_CHAIN, chain).attrBe64(NFTA_RULE_HANDLE, handle);
            return add("delete nf_tables rule",
                    familyName(family) + " " + table + " " + chain + " handle " + handle, m);
        }

        /**
         * Equivalent to: {@code nft add set $family $table $name { type $key; [flags $flags;] }}. A
         * concatenated key with {@link #SET_F_INTERVAL} also carries its field lengths (NFTA_SET_DESC_CONCAT)
         * and NFT_SET_CONCAT, as nft sends them; without intervals nft sends neither, and neither does this.
         * Rules in the same batch may look the set up by name.
         */
        public Batch setAdd(int family, String table, String name, NfSetKey key, int flags) {
            boolean concatRanges = key.isConcatenation() && (flags & NFT_SET_INTERVAL) != 0;
            NetlinkMessage m = message(NFT_MSG_NEWSET, CREATE, family).attrString(NFTA_SET_TABLE, table)
                    .attrString(NFTA_SET_NAME, name)
                    .attrBe32(NFTA_SET_FLAGS, flags | (concatRanges ? NFT_SET_CONCAT : 0))
                    .attrBe32(NFTA_SET_KEY_TYPE, key.type()).attrBe32(NFTA_SET_KEY_LEN, key.length())
                    // The kernel requires an id, by which later messages of this batch could name the set.
                    .attrBe32(NFTA_SET_ID, ++lastSetId);
            if (concatRanges) {
                int desc = m.nest(NFTA_SET_DESC);
                int concat = m.nest(NFTA_SET_DESC_CONCAT);
                for (int length : key.fieldLengths()) {
                    int field = m.nest(NFTA_LIST_ELEM);
                    m.attrBe32(NFTA_SET_FIELD_LEN, length);
                    m.end(field);
                }
                m.end(concat);
                m.end(desc);
            }
            return add("add nf_tables set",
                    familyName(family) + " " + table + " " + name + " { type " + key + "; }", m);
        }

        /** Equivalent to: {@code nft delete set $family $table $name}. No rule may still look it up. */
        public Batch setDel(int family, String table, String name) {
            NetlinkMessage m = message(NFT_MSG_DELSET, CHANGE, family).attrString(NFTA_SET_TABLE, table)
                    .attrString(NFTA_SET_NAME, name);
            return add("delete nf_tables set", familyName(family) + " " + table + " " + name, m);
        }

        /**
         * Equivalent to: {@code nft add element $family $table $set { $key, … }}; each key is the raw bytes of
         * the set's key type (see {@link NfSetKey#ifindexes}). Adding an element that is there already is no
         * error.
         */
        public Batch setElementsAdd(int family, String table, String set, List<byte[]> keys) {
            return elements(NFT_MSG_NEWSETELEM, CREATE, "add nf_tables set elements", family, table, set, keys);
        }

        /** Equivalent to: {@code nft delete element $family $table $set { $key, … }}. Each must be there. */
        public Batch setElementsDel(int family, String table, String set, List<byte[]> keys) {
            return elements(NFT_MSG_DELSETELEM, CHANGE, "delete nf_tables set elements", family, table, set, keys);
        }

        /** Equivalent to: {@code nft flush set $family $table $set}: a delete with no element list. */
        public Batch setFlush(int family, String table, String set) {
            NetlinkMessage m = message(NFT_MSG_DELSETELEM, CHANGE, family)
                    .attrString(NFTA_SET_ELEM_LIST_TABLE, table).attrString(NFTA_SET_ELEM_LIST_SET, set);
            return add("flush nf_tables set", familyName(family) + " " + table + " " + set, m);
        }

        private Batch elements(int type, int flags, String operation, int family, String table, String set,
                               List<byte[]> keys) {
            NetlinkMessage m = message(type, flags, family)
                    .attrString(NFTA_SET_ELEM_LIST_TABLE, table).attrString(NFTA_SET_ELEM_LIST_SET, set);
            int list = m.nest(NFTA_SET_ELEM_LIST_ELEMENTS);
            StringJoiner what = new StringJoiner(", ", familyName(family) + " " + table + " " + set + " { ", " }");
            int number = 0;
            for (byte[] key : keys) {
                // The kernel reads any nest type here; nft numbers the elements 1, 2, … and so does this.
                int element = m.nest(++number);
                int keyNest = m.nest(NFTA_SET_ELEM_KEY);
                m.attr(NFTA_DATA_VALUE, key);
                m.end(keyNest);
                m.end(element);
                what.add(NfExpressionText.hex(key));
            }
            m.end(list);
            return add(operation, what.toString(), m);
        }

        /** The changes so far, in order, as they will be sent: for golden-byte tests. */
        public List<Request> requests() {
            return List.copyOf(requests);
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
