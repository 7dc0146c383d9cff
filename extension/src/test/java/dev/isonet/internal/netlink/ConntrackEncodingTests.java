package dev.isonet.internal.netlink;

import static dev.isonet.internal.netlink.Hex.assertBytes;
import static dev.isonet.internal.netlink.Hex.bytes;

import org.junit.jupiter.api.Test;

/** The ctnetlink requests, byte for byte (linux/netfilter/nfnetlink.h, nfnetlink_conntrack.h). */
@GoldenBytes
class ConntrackEncodingTests {

    @Test
    void aFlushIsADeleteWithoutTupleForEveryFamily() {
        // conntrack -F sends the same with nfgen_family AF_INET, once per family; AF_UNSPEC flushes both
        byte[] expected = bytes(
                "14000000",                   // nlmsg_len = 20
                "0201",                       // nlmsg_type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_DELETE
                "0500",                       // REQUEST | ACK
                "2a000000", "00000000",       // seq, pid
                "00 00 0000");                // nfgenmsg: AF_UNSPEC, NFNETLINK_V0, res_id 0

        assertBytes(Conntrack.flushRequest().message().toBytes(42), expected);
    }
}
