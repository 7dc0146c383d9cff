package dev.isonet.internal.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;

/** Golden bytes written as hex, one wire field per argument, and a readable dump to compare them by. */
final class Hex {
    private Hex() {
    }

    /** The bytes {@code request} puts on the wire with sequence number 42, as golden requests are written. */
    static byte[] wire(Request request) {
        return request.message().toBytes(42);
    }

    /** The bytes the hex digits name; spaces between digits are ignored. */
    static byte[] bytes(String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String field : fields) {
            String digits = field.replace(" ", "");
            if (digits.length() % 2 != 0) {
                throw new IllegalArgumentException("odd number of hex digits in field [" + field + "]");
            }
            for (int i = 0; i < digits.length(); i += 2) {
                out.write(Integer.parseInt(digits.substring(i, i + 2), 16));
            }
        }
        return out.toByteArray();
    }

    /** Offset, then 16 bytes a line in groups of 4: a mismatch shows where it is. */
    static String dump(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            if (i % 16 == 0) {
                text.append(i == 0 ? "" : "\n").append(String.format("%04x:", i));
            }
            if (i % 4 == 0) {
                text.append(' ');
            }
            text.append(String.format("%02x", bytes[i] & 0xff));
        }
        return text.toString();
    }

    static void assertBytes(byte[] actual, byte[] expected) {
        assertThat(dump(actual)).as("%d bytes on the wire", actual.length).isEqualTo(dump(expected));
    }
}
