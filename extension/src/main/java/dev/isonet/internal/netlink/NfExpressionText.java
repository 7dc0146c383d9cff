package dev.isonet.internal.netlink;

import static dev.isonet.internal.netlink.NfUapi.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Reads the attributes of one nf_tables expression back into text close to nft's debug output
 * ({@code nft --debug=netlink}): {@code meta iifname => reg 1}, {@code cmp eq reg 1 "uplink"},
 * {@code payload load 4b @ network + 12 => reg 1}, {@code lookup reg 8 set blocked},
 * {@code numgen random mod 1000 => reg 1}. Expressions it does not know print their name and the types and
 * sizes of their attributes; attributes it does not know are ignored.
 */
final class NfExpressionText {
    private NfExpressionText() {}

    /** The text of expression {@code name} with its NFTA_EXPR_DATA attributes (null: it had none). */
    static String describe(String name, AttributeList data) {
        AttributeList d = data == null ? AttributeList.of(null) : data;
        return switch (name) {
            case "meta" -> meta(d);
            case "cmp" -> "cmp " + cmpOp(d.be32(NFTA_CMP_OP, -1)) + " " + reg(d.be32(NFTA_CMP_SREG, 0)) + " "
                    + value(d.nested(NFTA_CMP_DATA).bytes(NFTA_DATA_VALUE));
            case "payload" -> payload(d);
            case "bitwise" -> bitwise(d);
            case "byteorder" -> byteorder(d);
            case "ct" -> "ct " + ctKey(d.be32(NFTA_CT_KEY, -1)) + " => " + reg(d.be32(NFTA_CT_DREG, 0));
            case "immediate" -> immediate(d);
            case "lookup" -> lookup(d);
            case "numgen" -> numgen(d);
            case "counter" -> d.has(NFTA_COUNTER_PACKETS) || d.has(NFTA_COUNTER_BYTES)
                    ? "counter packets " + d.be64(NFTA_COUNTER_PACKETS, 0) + " bytes " + d.be64(NFTA_COUNTER_BYTES, 0)
                    : "counter";
            case "fib" -> fib(d);
            case "reject" -> reject(d);
            case "target" -> target(d);
            case "match" -> "xt match " + d.string(NFTA_MATCH_NAME) + " rev " + d.be32(NFTA_MATCH_REV, 0);
            case "masq" -> d.be32(NFTA_MASQ_FLAGS, 0) == 0 ? "masq" : "masq flags " + hex(d.bytes(NFTA_MASQ_FLAGS));
            default -> unknown(name, d);
        };
    }

    static String reg(int register) {
        return "reg " + register;
    }

    private static String meta(AttributeList d) {
        String key = metaKey(d.be32(NFTA_META_KEY, -1));
        if (d.has(NFTA_META_SREG)) {
            return "meta set " + key + " with " + reg(d.be32(NFTA_META_SREG, 0));
        }
        return "meta " + key + " => " + reg(d.be32(NFTA_META_DREG, 0));
    }

    private static String metaKey(int key) {
        return switch (key) {
            case NFT_META_LEN -> "len";
            case NFT_META_PROTOCOL -> "protocol";
            case 2 -> "priority";
            case NFT_META_MARK -> "mark";
            case NFT_META_IIF -> "iif";
            case NFT_META_OIF -> "oif";
            case NFT_META_IIFNAME -> "iifname";
            case NFT_META_OIFNAME -> "oifname";
            case NFT_META_IIFTYPE -> "iiftype";
            case NFT_META_OIFTYPE -> "oiftype";
            case NFT_META_NFPROTO -> "nfproto";
            case NFT_META_L4PROTO -> "l4proto";
            case NFT_META_BRI_IIFNAME -> "ibrname";
            case NFT_META_BRI_OIFNAME -> "obrname";
            case NFT_META_PKTTYPE -> "pkttype";
            default -> "key " + key;
        };
    }

    private static String cmpOp(int op) {
        return switch (op) {
            case NFT_CMP_EQ -> "eq";
            case NFT_CMP_NEQ -> "neq";
            case NFT_CMP_LT -> "lt";
            case NFT_CMP_LTE -> "lte";
            case NFT_CMP_GT -> "gt";
            case NFT_CMP_GTE -> "gte";
            default -> "op " + op;
        };
    }

    private static String payload(AttributeList d) {
        String where = d.be32(NFTA_PAYLOAD_LEN, 0) + "b @ " + payloadBase(d.be32(NFTA_PAYLOAD_BASE, -1)) + " + "
                + d.be32(NFTA_PAYLOAD_OFFSET, 0);
        if (d.has(NFTA_PAYLOAD_SREG)) {
            return "payload write " + reg(d.be32(NFTA_PAYLOAD_SREG, 0)) + " => " + where;
        }
        return "payload load " + where + " => " + reg(d.be32(NFTA_PAYLOAD_DREG, 0));
    }

    private static String payloadBase(int base) {
        return switch (base) {
            case NFT_PAYLOAD_LL_HEADER -> "link";
            case NFT_PAYLOAD_NETWORK_HEADER -> "network";
            case NFT_PAYLOAD_TRANSPORT_HEADER -> "transport";
            case 3 -> "inner";
            default -> "base " + base;
        };
    }

    private static String bitwise(AttributeList d) {
        String target = "bitwise " + reg(d.be32(NFTA_BITWISE_DREG, 0)) + " = ";
        int op = d.be32(NFTA_BITWISE_OP, 0);
        if (op != 0) {
            return target + "op " + op + " (" + reg(d.be32(NFTA_BITWISE_SREG, 0)) + ")";
        }
        return target + "(" + reg(d.be32(NFTA_BITWISE_SREG, 0)) + " & "
                + hex(d.nested(NFTA_BITWISE_MASK).bytes(NFTA_DATA_VALUE)) + ") ^ "
                + hex(d.nested(NFTA_BITWISE_XOR).bytes(NFTA_DATA_VALUE));
    }

    private static String byteorder(AttributeList d) {
        String op = d.be32(NFTA_BYTEORDER_OP, -1) == NFT_BYTEORDER_HTON ? "hton" : "ntoh";
        return "byteorder " + reg(d.be32(NFTA_BYTEORDER_DREG, 0)) + " = " + op + "("
                + reg(d.be32(NFTA_BYTEORDER_SREG, 0))
                + ", " + d.be32(NFTA_BYTEORDER_SIZE, 0) + ", " + d.be32(NFTA_BYTEORDER_LEN, 0) + ")";
    }

    private static String ctKey(int key) {
        return switch (key) {
            case NFT_CT_STATE -> "state";
            case 1 -> "direction";
            case 2 -> "status";
            case 3 -> "mark";
            case 7 -> "l3protocol";
            case 10 -> "protocol";
            default -> "key " + key;
        };
    }

    private static String immediate(AttributeList d) {
        int register = d.be32(NFTA_IMMEDIATE_DREG, 0);
        AttributeList data = d.nested(NFTA_IMMEDIATE_DATA);
        if (register != NFT_REG_VERDICT) {
            return "immediate " + reg(register) + " " + value(data.bytes(NFTA_DATA_VALUE));
        }
        AttributeList verdict = data.nested(NFTA_DATA_VERDICT);
        return verdictText(verdict.be32(NFTA_VERDICT_CODE, Integer.MIN_VALUE), verdict.string(NFTA_VERDICT_CHAIN));
    }

    static String verdictText(int code, String chain) {
        return switch (code) {
            case NF_DROP -> "drop";
            case NF_ACCEPT -> "accept";
            case NF_STOLEN -> "stolen";
            case NF_QUEUE -> "queue";
            case NF_REPEAT -> "repeat";
            case NFT_CONTINUE -> "continue";
            case NFT_BREAK -> "break";
            case NFT_JUMP -> "jump " + chain;
            case NFT_GOTO -> "goto " + chain;
            case NFT_RETURN -> "return";
            default -> "verdict " + code;
        };
    }

    private static String lookup(AttributeList d) {
        StringBuilder text = new StringBuilder("lookup ").append(reg(d.be32(NFTA_LOOKUP_SREG, 0)))
                .append(" set ").append(d.string(NFTA_LOOKUP_SET));
        if (d.has(NFTA_LOOKUP_DREG)) {
            text.append(" => ").append(reg(d.be32(NFTA_LOOKUP_DREG, 0)));
        }
        if ((d.be32(NFTA_LOOKUP_FLAGS, 0) & NFT_LOOKUP_F_INV) != 0) {
            text.append(" invert");
        }
        return text.toString();
    }

    private static String numgen(AttributeList d) {
        String type = d.be32(NFTA_NG_TYPE, -1) == NFT_NG_RANDOM ? "random" : "inc"; // NFT_NG_INCREMENTAL
        int offset = d.be32(NFTA_NG_OFFSET, 0);
        return "numgen " + type + " mod " + Integer.toUnsignedString(d.be32(NFTA_NG_MODULUS, 0))
                + (offset != 0 ? " offset " + offset : "") + " => " + reg(d.be32(NFTA_NG_DREG, 0));
    }

    private static String fib(AttributeList d) {
        int flags = d.be32(NFTA_FIB_FLAGS, 0);
        List<String> inputs = new ArrayList<>();
        String[] names = {"saddr", "daddr", "mark", "iif", "oif"};
        for (int bit = 0; bit < names.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                inputs.add(names[bit]);
            }
        }
        String result = switch (d.be32(NFTA_FIB_RESULT, 0)) {
            case NFT_FIB_RESULT_OIF -> "oif";
            case NFT_FIB_RESULT_OIFNAME -> "oifname";
            case NFT_FIB_RESULT_ADDRTYPE -> "type";
            default -> "result " + d.be32(NFTA_FIB_RESULT, 0);
        };
        String present = (flags & NFTA_FIB_F_PRESENT) != 0 ? " present" : "";
        return "fib " + String.join(" . ", inputs) + " " + result + present + " => " + reg(d.be32(NFTA_FIB_DREG, 0));
    }

    private static String reject(AttributeList d) {
        int code = d.u8(NFTA_REJECT_ICMP_CODE, 0);
        return switch (d.be32(NFTA_REJECT_TYPE, -1)) {
            case NFT_REJECT_TCP_RST -> "reject tcp reset";
            case NFT_REJECT_ICMP_UNREACH -> "reject icmp code " + code;
            case NFT_REJECT_ICMPX_UNREACH -> "reject icmpx " + switch (code) {
                case 0 -> "no-route";
                case 1 -> "port-unreachable";
                case 2 -> "host-unreachable";
                case 3 -> "admin-prohibited";
                default -> "code " + code;
            };
            default -> "reject type " + d.be32(NFTA_REJECT_TYPE, -1) + " code " + code;
        };
    }

    private static String target(AttributeList d) {
        String name = d.string(NFTA_TARGET_NAME);
        int revision = d.be32(NFTA_TARGET_REV, 0);
        byte[] info = d.bytes(NFTA_TARGET_INFO);
        String text = "xt target " + name + " rev " + revision;
        if ("NFQUEUE".equals(name) && revision == 3 && info != null && info.length >= 6) {
            ByteBuffer b = ByteBuffer.wrap(info).order(ByteOrder.nativeOrder());
            int flags = b.getShort(4) & 0xffff;
            return text + " queue num " + (b.getShort(0) & 0xffff) + " total " + (b.getShort(2) & 0xffff)
                    + ((flags & 0x1) != 0 ? " bypass" : "") + ((flags & 0x2) != 0 ? " fanout" : "");
        }
        return info == null ? text : text + " info " + hex(info);
    }

    private static String unknown(String name, AttributeList d) {
        StringJoiner attributes = new StringJoiner(", ", " (", ")").setEmptyValue("");
        for (AttributeList.Attribute a : d.all()) {
            attributes.add("attr " + a.type() + ": " + a.value().length + " bytes");
        }
        return name + attributes;
    }

    /** A compared value: an interface-like name in quotes, anything else as hex in wire order. */
    static String value(byte[] bytes) {
        if (bytes == null) {
            return "?";
        }
        int text = 0;
        while (text < bytes.length && bytes[text] >= 0x20 && bytes[text] < 0x7f) {
            text++;
        }
        boolean padded = text < bytes.length;
        for (int i = text; i < bytes.length; i++) {
            padded &= bytes[i] == 0;
        }
        if (text >= 2 && padded) {
            return "\"" + new String(bytes, 0, text, StandardCharsets.US_ASCII) + "\"";
        }
        return hex(bytes);
    }

    static String hex(byte[] bytes) {
        if (bytes == null) {
            return "?";
        }
        StringBuilder hex = new StringBuilder("0x");
        for (byte b : bytes) {
            hex.append(String.format("%02x", b & 0xff));
        }
        return hex.toString();
    }
}
