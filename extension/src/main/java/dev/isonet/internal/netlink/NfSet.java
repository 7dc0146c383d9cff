package dev.isonet.internal.netlink;

import static dev.isonet.internal.netlink.NfUapi.*;

/** A named set as a dump returns it: its key's nft type number and length, and its NFT_SET_* flags. */
public record NfSet(int family, String table, String name, long handle, int flags, int keyType, int keyLength) {

    static NfSet from(Reply reply) {
        AttributeList a = AttributeList.ofMessage(reply);
        return new NfSet(reply.headerU8(0), a.string(NFTA_SET_TABLE), a.string(NFTA_SET_NAME),
                a.be64(NFTA_SET_HANDLE, 0), a.be32(NFTA_SET_FLAGS, 0), a.be32(NFTA_SET_KEY_TYPE, 0),
                a.be32(NFTA_SET_KEY_LEN, 0));
    }

    /** {@code bridge t blocked { type iface_index . iface_index; }} (length 8), near nft's listing. */
    @Override
    public String toString() {
        return NfTables.familyName(family) + " " + table + " " + name + " { type " + NfSetKey.typeName(keyType)
                + "; } (key " + keyLength + " bytes" + (flags != 0 ? ", flags 0x" + Integer.toHexString(flags) : "")
                + ")";
    }
}
