package dev.isonet.internal.netlink;

import static dev.isonet.internal.netlink.NfUapi.*;

/**
 * A chain as {@code nft list chains} shows it. A base chain has a hook, a priority, a policy and a type; a
 * regular chain (a target of jump and goto) has {@link #NO_HOOK} and none of those.
 */
public record NfChain(int family, String table, String name, long handle, int hook, int priority, int policy,
                      String type) {
    public static final int NO_HOOK = -1;

    public boolean isBase() {
        return hook != NO_HOOK;
    }

    /**
     * True for a base chain whose policy drops what no rule accepted, such as the {@code ip filter FORWARD}
     * chain that Docker sets to {@code policy drop} through iptables-nft.
     */
    public boolean dropsByDefault() {
        return isBase() && policy == NF_DROP;
    }

    static NfChain from(Reply reply) {
        AttributeList a = AttributeList.ofMessage(reply);
        AttributeList hook = a.nested(NFTA_CHAIN_HOOK);
        boolean base = hook.has(NFTA_HOOK_HOOKNUM);
        return new NfChain(reply.headerU8(0), a.string(NFTA_CHAIN_TABLE), a.string(NFTA_CHAIN_NAME),
                a.be64(NFTA_CHAIN_HANDLE, 0), base ? hook.be32(NFTA_HOOK_HOOKNUM, 0) : NO_HOOK,
                hook.be32(NFTA_HOOK_PRIORITY, 0), a.be32(NFTA_CHAIN_POLICY, NF_ACCEPT), a.string(NFTA_CHAIN_TYPE));
    }

    /** The hook's name in nft syntax: netdev chains hook ingress/egress, the others the five inet hooks. */
    public String hookName() {
        if (!isBase()) {
            return "none";
        }
        if (family == NfTables.FAMILY_NETDEV) {
            return hook == 0 ? "ingress" : hook == 1 ? "egress" : "hook" + hook;
        }
        return switch (hook) {
            case NfTables.HOOK_PREROUTING -> "prerouting";
            case NfTables.HOOK_INPUT -> "input";
            case NfTables.HOOK_FORWARD -> "forward";
            case NfTables.HOOK_OUTPUT -> "output";
            case NfTables.HOOK_POSTROUTING -> "postrouting";
            default -> "hook" + hook;
        };
    }

    /** {@code FORWARD { type filter hook forward priority 0; policy drop; }}: the chain without its table. */
    public String declaration() {
        if (!isBase()) {
            return name;
        }
        return name + " { type " + type + " hook " + hookName() + " priority " + priority + "; policy "
                + NfExpressionText.verdictText(policy, null) + "; }";
    }

    /** {@code ip filter FORWARD { type filter hook forward priority 0; policy drop; }}, as nft writes it. */
    @Override
    public String toString() {
        return NfTables.familyName(family) + " " + table + " " + declaration();
    }
}
