package dev.isonet.internal.netlink;

import static dev.isonet.internal.netlink.NfUapi.*;

import java.util.ArrayList;
import java.util.List;

/**
 * A rule as a dump returns it: where it is, its handle (for deleting it alone), and its expressions as text
 * (see {@link NfExpression#toString()}), in order.
 */
public record NfRule(int family, String table, String chain, long handle, List<String> expressions) {
    public NfRule {
        expressions = List.copyOf(expressions);
    }

    /** The expressions, joined by "; ". */
    public String text() {
        return String.join("; ", expressions);
    }

    static NfRule from(Reply reply) {
        AttributeList a = AttributeList.ofMessage(reply);
        List<String> expressions = new ArrayList<>();
        for (AttributeList.Attribute element : a.nested(NFTA_RULE_EXPRESSIONS).all()) {
            AttributeList expression = element.nested();
            String name = expression.string(NFTA_EXPR_NAME);
            expressions.add(NfExpressionText.describe(name == null ? "?" : name,
                    expression.has(NFTA_EXPR_DATA) ? expression.nested(NFTA_EXPR_DATA) : null));
        }
        return new NfRule(reply.headerU8(0), a.string(NFTA_RULE_TABLE), a.string(NFTA_RULE_CHAIN),
                a.be64(NFTA_RULE_HANDLE, 0), expressions);
    }

    @Override
    public String toString() {
        return NfTables.familyName(family) + " " + table + " " + chain + " handle " + handle + ": " + text();
    }
}
