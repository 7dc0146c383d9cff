package dev.isonet.internal.netlink;

import static dev.isonet.internal.netlink.NfUapi.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * One nf_tables expression of a rule: its kernel name and how to write its attributes. {@link #toString()}
 * reads like nft's debug output ({@code meta iifname => reg 1}, {@code cmp eq reg 1 "uplink"}), the same
 * text a rule dump decodes to.
 *
 * <p>Registers: the verdict register is 0; the 16-byte registers are {@link #REG_1} … {@link #REG_4}; the
 * 4-byte registers {@link #REG32_00} … {@code reg32(15)} overlay them (REG_1 = REG32_00 … REG32_03). A
 * concatenation such as {@code meta iif . meta oif} loads its parts into consecutive 4-byte registers and
 * is looked up from the first.
 *
 * <p>Byte order: meta iif/oif, mark, fib results and numgen are host-endian; packet payload, meta protocol
 * and most of nf_tables are big-endian. {@code cmp} with lt/lte/gt/gte compares bytes like memcmp, so an
 * ordered comparison of a host-endian value needs {@link #byteorderHton} first (as nft does).
 */
public record NfExpression(String name, Consumer<NetlinkMessage> data) {
    public static final int REG_VERDICT = NFT_REG_VERDICT;
    public static final int REG_1 = NFT_REG_1;
    public static final int REG_2 = NFT_REG_2;
    public static final int REG_3 = NFT_REG_3;
    public static final int REG_4 = NFT_REG_4;
    public static final int REG32_00 = NFT_REG32_00;
    public static final int REG32_01 = NFT_REG32_00 + 1;
    public static final int REG32_02 = NFT_REG32_00 + 2;
    public static final int REG32_03 = NFT_REG32_00 + 3;
    private static final int REG32_COUNT = 16;

    public static final int META_PROTOCOL = NFT_META_PROTOCOL;
    public static final int META_MARK = NFT_META_MARK;
    public static final int META_IIF = NFT_META_IIF;
    public static final int META_OIF = NFT_META_OIF;
    public static final int META_IIFNAME = NFT_META_IIFNAME;
    public static final int META_OIFNAME = NFT_META_OIFNAME;
    public static final int META_NFPROTO = NFT_META_NFPROTO;
    public static final int META_L4PROTO = NFT_META_L4PROTO;
    public static final int META_PKTTYPE = NFT_META_PKTTYPE;

    /** meta pkttype values (linux/if_packet.h), one byte. */
    public static final int PACKET_HOST = 0;
    public static final int PACKET_BROADCAST = 1;
    public static final int PACKET_MULTICAST = 2;
    public static final int PACKET_OTHERHOST = 3;
    /** meta protocol / ether type values (linux/if_ether.h), compared as {@link #be16}. */
    public static final int ETH_P_IP = 0x0800;
    public static final int ETH_P_ARP = 0x0806;
    public static final int ETH_P_IPV6 = 0x86dd;
    /** meta l4proto values, one byte. */
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_ICMPV6 = 58;

    public static final int PAYLOAD_LINK_HEADER = NFT_PAYLOAD_LL_HEADER;
    public static final int PAYLOAD_NETWORK_HEADER = NFT_PAYLOAD_NETWORK_HEADER;
    public static final int PAYLOAD_TRANSPORT_HEADER = NFT_PAYLOAD_TRANSPORT_HEADER;

    public static final int VERDICT_DROP = NF_DROP;
    public static final int VERDICT_ACCEPT = NF_ACCEPT;
    public static final int VERDICT_CONTINUE = NFT_CONTINUE;
    public static final int VERDICT_RETURN = NFT_RETURN;

    public static final int CT_STATE = NFT_CT_STATE;
    /** ct state bits, host-endian: established (1 << 1) and related (1 << 2). */
    public static final int CT_ESTABLISHED_RELATED = 0x6;
    public static final int NFPROTO_IPV4 = 2;
    public static final int NFPROTO_IPV6 = 10;

    public static final int CMP_EQ = NFT_CMP_EQ;
    public static final int CMP_NEQ = NFT_CMP_NEQ;
    public static final int CMP_LT = NFT_CMP_LT;
    public static final int CMP_LTE = NFT_CMP_LTE;
    public static final int CMP_GT = NFT_CMP_GT;
    public static final int CMP_GTE = NFT_CMP_GTE;

    /** fib lookup inputs: which address, and which of the packet's interfaces to look up on. */
    public static final int FIB_SADDR = NFTA_FIB_F_SADDR;
    public static final int FIB_DADDR = NFTA_FIB_F_DADDR;
    public static final int FIB_MARK = NFTA_FIB_F_MARK;
    public static final int FIB_IIF = NFTA_FIB_F_IIF;
    public static final int FIB_OIF = NFTA_FIB_F_OIF;
    /** fib results: the output interface index, its name, or the address type (RTN_*). */
    public static final int FIB_RESULT_OIF = NFT_FIB_RESULT_OIF;
    public static final int FIB_RESULT_OIFNAME = NFT_FIB_RESULT_OIFNAME;
    public static final int FIB_RESULT_ADDRTYPE = NFT_FIB_RESULT_ADDRTYPE;
    /** Address types (linux/rtnetlink.h), host-endian u32 in the fib result: {@code type local}. */
    public static final int RTN_UNICAST = 1;
    public static final int RTN_LOCAL = 2;

    public static final int REJECT_ICMP_UNREACH = NFT_REJECT_ICMP_UNREACH;
    public static final int REJECT_TCP_RST = NFT_REJECT_TCP_RST;
    public static final int REJECT_ICMPX_UNREACH = NFT_REJECT_ICMPX_UNREACH;
    /** Codes of {@link #REJECT_ICMPX_UNREACH} (enum nft_reject_inet_code). */
    public static final int ICMPX_NO_ROUTE = 0;
    public static final int ICMPX_PORT_UNREACH = 1;
    public static final int ICMPX_HOST_UNREACH = 2;
    public static final int ICMPX_ADMIN_PROHIBITED = 3;

    /** xt_NFQUEUE flags (linux/netfilter/xt_NFQUEUE.h). */
    public static final int NFQ_FLAG_BYPASS = 0x01;
    public static final int NFQ_FLAG_CPU_FANOUT = 0x02;

    /** The 4-byte register NFT_REG32_{@code n}, n from 0 to 15, as the n-th field of a concatenation loads into. */
    public static int reg32(int n) {
        if (n < 0 || n >= REG32_COUNT) {
            throw new IllegalArgumentException("4-byte register " + n + " does not exist: 0 to 15");
        }
        return NFT_REG32_00 + n;
    }

    /** Equivalent to the load half of {@code meta oifname}, {@code meta nfproto} …. */
    public static NfExpression meta(int key, int register) {
        return new NfExpression("meta", m -> m.attrBe32(NFTA_META_DREG, register).attrBe32(NFTA_META_KEY, key));
    }

    /** Equivalent to {@code … == value}. */
    public static NfExpression cmpEq(int register, byte[] value) {
        return cmp(CMP_EQ, register, value);
    }

    /** Equivalent to {@code … != value}. */
    public static NfExpression cmpNeq(int register, byte[] value) {
        return cmp(CMP_NEQ, register, value);
    }

    /**
     * Compares the register with {@code value} by {@code op} ({@link #CMP_EQ} … {@link #CMP_GTE}). The
     * ordered ops compare bytes from the first, as memcmp does: give them big-endian numbers.
     */
    public static NfExpression cmp(int op, int register, byte[] value) {
        return new NfExpression("cmp", m -> {
            m.attrBe32(NFTA_CMP_SREG, register).attrBe32(NFTA_CMP_OP, op);
            int data = m.nest(NFTA_CMP_DATA);
            m.attr(NFTA_DATA_VALUE, value);
            m.end(data);
        });
    }

    /** Equivalent to the load half of {@code ct state}. */
    public static NfExpression ct(int key, int register) {
        return new NfExpression("ct", m -> m.attrBe32(NFTA_CT_DREG, register).attrBe32(NFTA_CT_KEY, key));
    }

    /** Loads {@code length} bytes at {@code offset} of the network header, as {@code ip saddr} does. */
    public static NfExpression payload(int offset, int length, int register) {
        return payload(PAYLOAD_NETWORK_HEADER, offset, length, register);
    }

    /**
     * Loads {@code length} bytes at {@code offset} of the link-layer, network or transport header, as
     * {@code ether type}, {@code ip saddr} or {@code tcp dport} do.
     */
    public static NfExpression payload(int base, int offset, int length, int register) {
        return new NfExpression("payload", m -> m.attrBe32(NFTA_PAYLOAD_DREG, register)
                .attrBe32(NFTA_PAYLOAD_BASE, base).attrBe32(NFTA_PAYLOAD_OFFSET, offset)
                .attrBe32(NFTA_PAYLOAD_LEN, length));
    }

    /** {@code register = (register & mask) ^ 0}, the prefix half of {@code ip saddr 10.0.0.0/24}. */
    public static NfExpression mask(int register, byte[] mask) {
        return new NfExpression("bitwise", m -> {
            m.attrBe32(NFTA_BITWISE_SREG, register).attrBe32(NFTA_BITWISE_DREG, register)
                    .attrBe32(NFTA_BITWISE_LEN, mask.length);
            int maskNest = m.nest(NFTA_BITWISE_MASK);
            m.attr(NFTA_DATA_VALUE, mask);
            m.end(maskNest);
            int xorNest = m.nest(NFTA_BITWISE_XOR);
            m.attr(NFTA_DATA_VALUE, new byte[mask.length]);
            m.end(xorNest);
        });
    }

    /**
     * Turns {@code length} bytes of host-endian {@code size}-byte integers into network order, in place: what
     * nft puts between {@code numgen} and an ordered {@code cmp}.
     */
    public static NfExpression byteorderHton(int register, int length, int size) {
        return new NfExpression("byteorder", m -> m.attrBe32(NFTA_BYTEORDER_SREG, register)
                .attrBe32(NFTA_BYTEORDER_DREG, register).attrBe32(NFTA_BYTEORDER_OP, NFT_BYTEORDER_HTON)
                .attrBe32(NFTA_BYTEORDER_LEN, length).attrBe32(NFTA_BYTEORDER_SIZE, size));
    }

    /**
     * Equivalent to {@code @set} (or {@code != @set} when inverted): matches when the key that starts at
     * {@code register} is in the named set of the rule's table.
     */
    public static NfExpression lookup(String set, int register, boolean invert) {
        return new NfExpression("lookup", m -> {
            m.attrBe32(NFTA_LOOKUP_SREG, register).attrString(NFTA_LOOKUP_SET, set);
            if (invert) {
                m.attrBe32(NFTA_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
            }
        });
    }

    /** Equivalent to the load half of {@code numgen random mod $modulus}: a host-endian u32 in [0, modulus). */
    public static NfExpression numgenRandom(int modulus, int register) {
        return new NfExpression("numgen", m -> m.attrBe32(NFTA_NG_DREG, register).attrBe32(NFTA_NG_MODULUS, modulus)
                .attrBe32(NFTA_NG_TYPE, NFT_NG_RANDOM).attrBe32(NFTA_NG_OFFSET, 0));
    }

    /**
     * Equivalent to {@code numgen random mod $modulus < $below}, as nft writes it: numgen, byteorder (the
     * number is host-endian, cmp lt compares bytes), cmp lt. Matches {@code below} times in {@code modulus}.
     */
    public static List<NfExpression> numgenRandomBelow(int modulus, int below, int register) {
        return List.of(numgenRandom(modulus, register), byteorderHton(register, 4, 4),
                cmp(CMP_LT, register, be32(below)));
    }

    /**
     * Equivalent to the load half of {@code fib daddr . iif type} and kin: looks the packet's address up
     * ({@code flags}: {@link #FIB_DADDR} or {@link #FIB_SADDR}, optionally with {@link #FIB_IIF},
     * {@link #FIB_OIF}, {@link #FIB_MARK}) and loads the {@code result} (for {@link #FIB_RESULT_ADDRTYPE}, a
     * host-endian RTN_* such as {@link #RTN_LOCAL}).
     */
    public static NfExpression fib(int flags, int result, int register) {
        return new NfExpression("fib", m -> m.attrBe32(NFTA_FIB_FLAGS, flags).attrBe32(NFTA_FIB_RESULT, result)
                .attrBe32(NFTA_FIB_DREG, register));
    }

    /**
     * Equivalent to {@code reject with tcp reset} ({@link #REJECT_TCP_RST}, code 0), {@code reject with
     * icmpx type port-unreachable} ({@link #REJECT_ICMPX_UNREACH}, {@link #ICMPX_PORT_UNREACH}) and kin.
     */
    public static NfExpression reject(int type, int code) {
        return new NfExpression("reject", m -> m.attrBe32(NFTA_REJECT_TYPE, type)
                .attr(NFTA_REJECT_ICMP_CODE, new byte[] {(byte) code}));
    }

    /**
     * An xtables target through nft_compat, as iptables-nft writes one: {@code info} is the target's own
     * struct, host-endian, which the kernel wants padded to 8 bytes (XT_ALIGN); it is padded here.
     */
    public static NfExpression target(String name, int revision, byte[] info) {
        byte[] aligned = Arrays.copyOf(info, (info.length + 7) & ~7);
        return new NfExpression("target", m -> m.attrString(NFTA_TARGET_NAME, name)
                .attrBe32(NFTA_TARGET_REV, revision).attr(NFTA_TARGET_INFO, aligned));
    }

    /**
     * Equivalent to {@code iptables -j NFQUEUE --queue-num $queue [--queue-bypass]} (with {@code total} > 1:
     * {@code --queue-balance $queue:$queue+$total-1 [--queue-cpu-fanout]}): the xt NFQUEUE target, revision 3,
     * through nft_compat, for kernels without the native nft queue expression. It works in inet tables too. Its info is struct xt_NFQ_info_v3 {u16 queuenum; u16 queues_total; u16
     * flags}, host-endian; {@code flags}: {@link #NFQ_FLAG_BYPASS}, {@link #NFQ_FLAG_CPU_FANOUT}.
     */
    public static NfExpression nfqueue(int queue, int total, int flags) {
        ByteBuffer info = ByteBuffer.allocate(6).order(ByteOrder.nativeOrder())
                .putShort((short) queue).putShort((short) total).putShort((short) flags);
        return target("NFQUEUE", 3, info.array());
    }

    /** Equivalent to {@code masquerade}. */
    public static NfExpression masquerade() {
        return new NfExpression("masq", null);
    }

    /** Equivalent to {@code counter}. */
    public static NfExpression counter() {
        return new NfExpression("counter", null);
    }

    /** Equivalent to {@code accept}, {@code drop}, {@code continue} or {@code return}. */
    public static NfExpression verdict(int code) {
        return verdict(code, null);
    }

    /** Equivalent to {@code jump $chain}: the chain's rules run, then this chain goes on. */
    public static NfExpression jump(String chain) {
        return verdict(NFT_JUMP, chain);
    }

    /** Equivalent to {@code goto $chain}: the chain's rules run, and this chain does not go on. */
    public static NfExpression goTo(String chain) {
        return verdict(NFT_GOTO, chain);
    }

    private static NfExpression verdict(int code, String chain) {
        return new NfExpression("immediate", m -> {
            m.attrBe32(NFTA_IMMEDIATE_DREG, REG_VERDICT);
            int data = m.nest(NFTA_IMMEDIATE_DATA);
            int verdict = m.nest(NFTA_DATA_VERDICT);
            m.attrBe32(NFTA_VERDICT_CODE, code);
            if (chain != null) {
                m.attrString(NFTA_VERDICT_CHAIN, chain);
            }
            m.end(verdict);
            m.end(data);
        });
    }

    /** An interface name as meta iifname/oifname compares it: NUL-padded to IFNAMSIZ. */
    public static byte[] interfaceName(String name) {
        byte[] padded = new byte[16];
        byte[] raw = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(raw, 0, padded, 0, Math.min(raw.length, 15));
        return padded;
    }

    /** A host-endian u32, as meta iif/oif, meta mark and fib results hold one. */
    public static byte[] hostU32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    /** A big-endian u16, as meta protocol and ports hold one. */
    public static byte[] be16(int value) {
        return ByteBuffer.allocate(2).putShort((short) value).array();
    }

    /** A big-endian u32. */
    public static byte[] be32(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    void writeTo(NetlinkMessage m) {
        int element = m.nest(NFTA_LIST_ELEM);
        m.attrString(NFTA_EXPR_NAME, name);
        if (data != null) {
            int nest = m.nest(NFTA_EXPR_DATA);
            data.accept(m);
            m.end(nest);
        }
        m.end(element);
    }

    /**
     * The expression as a rule dump shows it. It is written and then read back, so that what a test or an
     * error message shows is exactly what the kernel would be sent.
     */
    @Override
    public String toString() {
        NetlinkMessage m = NetlinkMessage.of(0, 0);
        if (data != null) {
            data.accept(m);
        }
        byte[] wire = m.toBytes(0);
        byte[] attributes = Arrays.copyOfRange(wire, NetlinkMessage.HEADER_LENGTH, wire.length);
        return NfExpressionText.describe(name, data == null ? null : AttributeList.of(attributes));
    }
}
