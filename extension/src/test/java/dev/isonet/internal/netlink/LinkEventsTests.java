package dev.isonet.internal.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The reaper learns that a link is gone from RTM_DELLINK events; these are read from hand-made bytes. */
@GoldenBytes
class LinkEventsTests {

    /** An rtnetlink link event: nlmsghdr, ifinfomsg, IFLA_IFNAME. */
    private static Reply event(int type, String name) {
        return event(type, name, "07000000");
    }

    private static Reply event(int type, String name, String index) {
        byte[] bytes = Hex.bytes(
                "2c000000", String.format("%02x00", type), "0000", "00000000", "00000000", // nlmsghdr, len 44
                "00", "00", "0100", index, "00000000", "00000000",                         // ifinfomsg
                "1000", "0300", hex(name));                                                // IFLA_IFNAME, 16 bytes
        return Reply.copyOf(bytes, 0, bytes.length);
    }

    private static String hex(String name) {
        StringBuilder hex = new StringBuilder();
        byte[] raw = java.util.Arrays.copyOf(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 12);
        for (byte b : raw) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    @Test
    void aDeletedLinkIsNamedWithItsIndex() {
        assertThat(Rtnetlink.deletedLinks(List.of(event(Rtnetlink.RTM_DELLINK, "iso0ad50000", "2a010000"))))
                .containsExactly(new Rtnetlink.DeletedLink(298, "iso0ad50000"));
    }

    @Test
    void newAndChangedLinksAreNotDeletions() {
        assertThat(Rtnetlink.deletedLinks(List.of(event(Rtnetlink.RTM_NEWLINK, "iso0ad50000")))).isEmpty();
    }

    @Test
    void onlyTheDeletionsOfABatchAreNamed() {
        assertThat(Rtnetlink.deletedLinks(List.of(
                event(Rtnetlink.RTM_NEWLINK, "isoaaaaaaaa"),
                event(Rtnetlink.RTM_DELLINK, "isobbbbbbbb"),
                event(Rtnetlink.RTM_DELLINK, "isx0a0b0c00", "08000000"))))
                .containsExactly(new Rtnetlink.DeletedLink(7, "isobbbbbbbb"), new Rtnetlink.DeletedLink(8, "isx0a0b0c00"));
    }
}
