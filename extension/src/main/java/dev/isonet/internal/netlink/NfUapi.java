package dev.isonet.internal.netlink;

/**
 * The numbers of the kernel's uapi headers linux/netfilter/nf_tables.h and linux/netfilter/nfnetlink.h,
 * under the names those headers (and google/nftables) give them, so that the encoder reads like the header.
 * Attribute payload integers are big-endian unless a comment says otherwise.
 */
final class NfUapi {
    private NfUapi() {}

    // nfnetlink.h
    static final int NFNL_SUBSYS_NFTABLES = 10;
    static final int NFNL_MSG_BATCH_BEGIN = 0x10;
    static final int NFNL_MSG_BATCH_END = 0x11;
    static final int NFNETLINK_V0 = 0;

    // enum nf_tables_msg_types
    static final int NFT_MSG_NEWTABLE = 0;
    static final int NFT_MSG_GETTABLE = 1;
    static final int NFT_MSG_DELTABLE = 2;
    static final int NFT_MSG_NEWCHAIN = 3;
    static final int NFT_MSG_GETCHAIN = 4;
    static final int NFT_MSG_DELCHAIN = 5;
    static final int NFT_MSG_NEWRULE = 6;
    static final int NFT_MSG_GETRULE = 7;
    static final int NFT_MSG_DELRULE = 8;
    static final int NFT_MSG_NEWSET = 9;
    static final int NFT_MSG_GETSET = 10;
    static final int NFT_MSG_DELSET = 11;
    static final int NFT_MSG_NEWSETELEM = 12;
    static final int NFT_MSG_GETSETELEM = 13;
    static final int NFT_MSG_DELSETELEM = 14;

    // enum nft_list_attributes
    static final int NFTA_LIST_ELEM = 1;

    // enum nft_table_attributes
    static final int NFTA_TABLE_NAME = 1;
    static final int NFTA_TABLE_FLAGS = 2;

    // enum nft_chain_attributes
    static final int NFTA_CHAIN_TABLE = 1;
    static final int NFTA_CHAIN_HANDLE = 2;
    static final int NFTA_CHAIN_NAME = 3;
    static final int NFTA_CHAIN_HOOK = 4;
    static final int NFTA_CHAIN_POLICY = 5;
    static final int NFTA_CHAIN_TYPE = 7;

    // enum nft_hook_attributes
    static final int NFTA_HOOK_HOOKNUM = 1;
    static final int NFTA_HOOK_PRIORITY = 2;

    // enum nft_rule_attributes
    static final int NFTA_RULE_TABLE = 1;
    static final int NFTA_RULE_CHAIN = 2;
    static final int NFTA_RULE_HANDLE = 3;
    static final int NFTA_RULE_EXPRESSIONS = 4;

    // enum nft_set_attributes
    static final int NFTA_SET_TABLE = 1;
    static final int NFTA_SET_NAME = 2;
    static final int NFTA_SET_FLAGS = 3;
    static final int NFTA_SET_KEY_TYPE = 4;
    static final int NFTA_SET_KEY_LEN = 5;
    static final int NFTA_SET_DESC = 9;
    static final int NFTA_SET_ID = 10;
    static final int NFTA_SET_HANDLE = 16;

    // enum nft_set_desc_attributes, enum nft_set_field_attributes
    static final int NFTA_SET_DESC_CONCAT = 2;
    static final int NFTA_SET_FIELD_LEN = 1;

    // enum nft_set_elem_list_attributes, enum nft_set_elem_attributes
    static final int NFTA_SET_ELEM_LIST_TABLE = 1;
    static final int NFTA_SET_ELEM_LIST_SET = 2;
    static final int NFTA_SET_ELEM_LIST_ELEMENTS = 3;
    static final int NFTA_SET_ELEM_KEY = 1;

    // enum nft_set_flags
    static final int NFT_SET_INTERVAL = 0x4;
    static final int NFT_SET_TIMEOUT = 0x10;
    static final int NFT_SET_CONCAT = 0x80;

    // enum nft_expr_attributes
    static final int NFTA_EXPR_NAME = 1;
    static final int NFTA_EXPR_DATA = 2;

    // enum nft_data_attributes, enum nft_verdict_attributes
    static final int NFTA_DATA_VALUE = 1;
    static final int NFTA_DATA_VERDICT = 2;
    static final int NFTA_VERDICT_CODE = 1;
    static final int NFTA_VERDICT_CHAIN = 2;

    // enum nft_verdicts, and the netfilter verdicts of linux/netfilter.h
    static final int NF_DROP = 0;
    static final int NF_ACCEPT = 1;
    static final int NF_STOLEN = 2;
    static final int NF_QUEUE = 3;
    static final int NF_REPEAT = 4;
    static final int NFT_CONTINUE = -1;
    static final int NFT_BREAK = -2;
    static final int NFT_JUMP = -3;
    static final int NFT_GOTO = -4;
    static final int NFT_RETURN = -5;

    // enum nft_registers
    static final int NFT_REG_VERDICT = 0;
    static final int NFT_REG_1 = 1;
    static final int NFT_REG_2 = 2;
    static final int NFT_REG_3 = 3;
    static final int NFT_REG_4 = 4;
    static final int NFT_REG32_00 = 8;

    // enum nft_immediate_attributes
    static final int NFTA_IMMEDIATE_DREG = 1;
    static final int NFTA_IMMEDIATE_DATA = 2;

    // enum nft_cmp_attributes, enum nft_cmp_ops
    static final int NFTA_CMP_SREG = 1;
    static final int NFTA_CMP_OP = 2;
    static final int NFTA_CMP_DATA = 3;
    static final int NFT_CMP_EQ = 0;
    static final int NFT_CMP_NEQ = 1;
    static final int NFT_CMP_LT = 2;
    static final int NFT_CMP_LTE = 3;
    static final int NFT_CMP_GT = 4;
    static final int NFT_CMP_GTE = 5;

    // enum nft_meta_attributes, enum nft_meta_keys
    static final int NFTA_META_DREG = 1;
    static final int NFTA_META_KEY = 2;
    static final int NFTA_META_SREG = 3;
    static final int NFT_META_LEN = 0;
    static final int NFT_META_PROTOCOL = 1;
    static final int NFT_META_MARK = 3;
    static final int NFT_META_IIF = 4;
    static final int NFT_META_OIF = 5;
    static final int NFT_META_IIFNAME = 6;
    static final int NFT_META_OIFNAME = 7;
    static final int NFT_META_IIFTYPE = 8;
    static final int NFT_META_OIFTYPE = 9;
    static final int NFT_META_NFPROTO = 15;
    static final int NFT_META_L4PROTO = 16;
    static final int NFT_META_BRI_IIFNAME = 17;
    static final int NFT_META_BRI_OIFNAME = 18;
    static final int NFT_META_PKTTYPE = 19;

    // enum nft_payload_attributes, enum nft_payload_bases
    static final int NFTA_PAYLOAD_DREG = 1;
    static final int NFTA_PAYLOAD_BASE = 2;
    static final int NFTA_PAYLOAD_OFFSET = 3;
    static final int NFTA_PAYLOAD_LEN = 4;
    static final int NFTA_PAYLOAD_SREG = 5;
    static final int NFT_PAYLOAD_LL_HEADER = 0;
    static final int NFT_PAYLOAD_NETWORK_HEADER = 1;
    static final int NFT_PAYLOAD_TRANSPORT_HEADER = 2;

    // enum nft_bitwise_attributes
    static final int NFTA_BITWISE_SREG = 1;
    static final int NFTA_BITWISE_DREG = 2;
    static final int NFTA_BITWISE_LEN = 3;
    static final int NFTA_BITWISE_MASK = 4;
    static final int NFTA_BITWISE_XOR = 5;
    static final int NFTA_BITWISE_OP = 6;

    // enum nft_byteorder_attributes, enum nft_byteorder_ops
    static final int NFTA_BYTEORDER_SREG = 1;
    static final int NFTA_BYTEORDER_DREG = 2;
    static final int NFTA_BYTEORDER_OP = 3;
    static final int NFTA_BYTEORDER_LEN = 4;
    static final int NFTA_BYTEORDER_SIZE = 5;
    static final int NFT_BYTEORDER_HTON = 1;

    // enum nft_ct_attributes, enum nft_ct_keys
    static final int NFTA_CT_DREG = 1;
    static final int NFTA_CT_KEY = 2;
    static final int NFT_CT_STATE = 0;

    // enum nft_lookup_attributes, enum nft_lookup_flags
    static final int NFTA_LOOKUP_SET = 1;
    static final int NFTA_LOOKUP_SREG = 2;
    static final int NFTA_LOOKUP_DREG = 3;
    static final int NFTA_LOOKUP_FLAGS = 5;
    static final int NFT_LOOKUP_F_INV = 0x1;

    // enum nft_ng_attributes, enum nft_ng_types
    static final int NFTA_NG_DREG = 1;
    static final int NFTA_NG_MODULUS = 2;
    static final int NFTA_NG_TYPE = 3;
    static final int NFTA_NG_OFFSET = 4;
    static final int NFT_NG_RANDOM = 1;

    // enum nft_counter_attributes
    static final int NFTA_COUNTER_BYTES = 1;
    static final int NFTA_COUNTER_PACKETS = 2;

    // enum nft_fib_attributes, enum nft_fib_result, enum nft_fib_flags
    static final int NFTA_FIB_DREG = 1;
    static final int NFTA_FIB_RESULT = 2;
    static final int NFTA_FIB_FLAGS = 3;
    static final int NFT_FIB_RESULT_OIF = 1;
    static final int NFT_FIB_RESULT_OIFNAME = 2;
    static final int NFT_FIB_RESULT_ADDRTYPE = 3;
    static final int NFTA_FIB_F_SADDR = 1;
    static final int NFTA_FIB_F_DADDR = 2;
    static final int NFTA_FIB_F_MARK = 4;
    static final int NFTA_FIB_F_IIF = 8;
    static final int NFTA_FIB_F_OIF = 16;
    static final int NFTA_FIB_F_PRESENT = 32;

    // enum nft_reject_attributes, enum nft_reject_types, enum nft_reject_inet_code
    static final int NFTA_REJECT_TYPE = 1;
    static final int NFTA_REJECT_ICMP_CODE = 2;
    static final int NFT_REJECT_ICMP_UNREACH = 0;
    static final int NFT_REJECT_TCP_RST = 1;
    static final int NFT_REJECT_ICMPX_UNREACH = 2;

    // enum nft_target_attributes, enum nft_match_attributes (nft_compat)
    static final int NFTA_TARGET_NAME = 1;
    static final int NFTA_TARGET_REV = 2;
    static final int NFTA_TARGET_INFO = 3;
    static final int NFTA_MATCH_NAME = 1;
    static final int NFTA_MATCH_REV = 2;

    // enum nft_masq_attributes
    static final int NFTA_MASQ_FLAGS = 1;
}
