package dev.isonet.internal.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a received datagram is split into messages, and what an NLMSG_ERROR says; from hand-made bytes. */
@GoldenBytes
class ErrorReplyTests {
    private static final String REFUSAL = String.join("",
            "2c000000", "0200", "0003", "05000000", "00000000",         // nlmsghdr: len 44, NLMSG_ERROR, ACK_TLVS|CAPPED
            "efffffff",                                                 // error: -17 (EEXIST)
            "20000000", "1000", "0506", "05000000", "00000000",         // the request's header, echoed
            "0800", "0100", "6f6f7073");                                // NLMSGERR_ATTR_MSG "oops" (no NUL)
    private static final String ACK = String.join("",
            "24000000", "0200", "0001", "06000000", "00000000",         // nlmsghdr: len 36, NLMSG_ERROR, CAPPED
            "00000000",                                                 // error 0: an ACK
            "20000000", "1000", "0506", "06000000", "00000000");

    @Test
    void aDatagramIsSplitIntoItsMessages() {
        byte[] datagram = Hex.bytes(REFUSAL, ACK);
        List<Reply> replies = Reply.split(datagram, datagram.length);
        assertThat(replies).extracting(Reply::sequence).containsExactly(5, 6);
    }

    @Test
    void aRefusalCarriesItsErrnoAndTheKernelsText() {
        byte[] bytes = Hex.bytes(REFUSAL);
        Reply refusal = Reply.split(bytes, bytes.length).get(0);
        assertThat(refusal.errno()).isEqualTo(17);
        assertThat(refusal.extendedAck()).isEqualTo("oops");
    }

    @Test
    void anAckHasNoErrnoAndNoText() {
        byte[] bytes = Hex.bytes(ACK);
        Reply ack = Reply.split(bytes, bytes.length).get(0);
        assertThat(ack.errno()).isZero();
        assertThat(ack.extendedAck()).isNull();
    }

    @Test
    void aTruncatedMessageIsNotRead() {
        byte[] bytes = Hex.bytes(ACK);
        assertThat(Reply.split(bytes, bytes.length - 4)).isEmpty();
    }
}
