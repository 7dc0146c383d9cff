package dev.isonet.internal.diagnostics;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Addresses as {@code ip} prints them: IPv6 in its short form (RFC 5952), {@code fd15:e7e:ad5::2}. */
final class AddressText {
    private AddressText() {}

    /** A subnet written as {@code address/length}, its address in the short form. */
    static String subnet(String cidr) {
        int slash = cidr.indexOf('/');
        try {
            return of(InetAddress.getByName(cidr.substring(0, slash))) + cidr.substring(slash); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            return cidr;
        }
    }

    static String of(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
