package dev.isonet.internal.netlink;

import static dev.isonet.internal.netlink.Hex.assertBytes;
import static dev.isonet.internal.netlink.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.internal.netlink.SockDiag.InetSocket;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * sock_diag requests byte for byte against what {@code ss} (iproute2 6.1) sent, captured with strace in a
 * throwaway namespace, and replies the kernel (6.18) sent back to it. Socket ids carry ports and addresses in
 * network order, everything else host-endian.
 */
@GoldenBytes
class SockDiagEncodingTests {
    private static final int SEQUENCE = 42;

    @Test
    void listeningTcpSocketsAreDumpedAsSsTlnAsksForThem() {
        // ss -4 -tln
        byte[] expected = bytes(
                "48000000",                   // nlmsg_len = 72
                "1400",                       // nlmsg_type = SOCK_DIAG_BY_FAMILY
                "0103",                       // REQUEST | DUMP
                "2a000000", "00000000",
                "02",                         // inet_diag_req_v2: sdiag_family = AF_INET
                "06",                         //   sdiag_protocol = IPPROTO_TCP
                "00", "00",                   //   idiag_ext: none, pad
                "80040000",                   //   idiag_states = 1 << LISTEN | 1 << CLOSE
                "0000 0000",                  //   id: sport, dport: any
                "00000000000000000000000000000000", // src
                "00000000000000000000000000000000", // dst
                "00000000",                   //   if
                "00000000 00000000");         //   cookie

        assertBytes(SockDiag.inetDumpRequest(SockDiag.AF_INET, SockDiag.IPPROTO_TCP,
                SockDiag.states(SockDiag.TCP_LISTEN, SockDiag.TCP_CLOSE)).toBytes(SEQUENCE), expected);
    }

    @Test
    void allIpv6UdpSocketsAreDumpedAsSsUanAsksForThem() {
        // ss -6 -uan
        byte[] expected = bytes(
                "48000000", "1400", "0103", "2a000000", "00000000",
                "0a 11 00 00",                // AF_INET6, IPPROTO_UDP
                "ff0f0000",                   // every state ss knows
                "00000000", "00000000000000000000000000000000", "00000000000000000000000000000000",
                "00000000", "0000000000000000");

        assertBytes(SockDiag.inetDumpRequest(SockDiag.AF_INET6, SockDiag.IPPROTO_UDP, SockDiag.ALL_STATES)
                .toBytes(SEQUENCE), expected);
    }

    /** What the kernel answered ss -4 -tln for a Python socket listening on 0.0.0.0:8123. */
    private static final byte[] LISTENER = bytes(
            "7c000000", "1400", "0200", "40e20100", "0b720000", // SOCK_DIAG_BY_FAMILY, MULTI
            "02",                             // inet_diag_msg: idiag_family = AF_INET
            "0a",                             //   idiag_state = LISTEN
            "00", "00",                       //   idiag_timer, idiag_retrans
            "1fbb", "0000",                   //   id: sport 8123 (network order), dport
            "00000000000000000000000000000000", // src 0.0.0.0
            "00000000000000000000000000000000", // dst
            "00000000",                       //   if
            "a9100000", "00000000",           //   cookie = 0x10a9
            "00000000",                       //   idiag_expires
            "00000000",                       //   idiag_rqueue
            "80000000",                       //   idiag_wqueue (the backlog, for a listener)
            "00000000",                       //   idiag_uid = 0
            "1dba0200",                       //   idiag_inode = 178717
            "0500 0800", "00 000000",         // INET_DIAG_SHUTDOWN
            "0800 0f00", "00000000",          // INET_DIAG_MARK
            "0c00 1500", "0100000000000000",  // INET_DIAG_CGROUP_ID
            "0600 1600", "5200 0000");        // INET_DIAG_SOCKOPT

    @Test
    void aListeningSocketFromTheKernelReadsItsStatePortCookieAndInode() throws Exception {
        InetSocket socket = SockDiag.inetSocket(Reply.copyOf(LISTENER, 0, LISTENER.length), SockDiag.IPPROTO_TCP);

        assertThat(socket.family()).isEqualTo(SockDiag.AF_INET);
        assertThat(socket.stateName()).isEqualTo("LISTEN");
        assertThat(socket.source()).isEqualTo(InetAddress.getByName("0.0.0.0"));
        assertThat(socket.sourcePort()).isEqualTo(8123);
        assertThat(socket.destinationPort()).isZero();
        assertThat(socket.cookie()).isEqualTo(0x10a9);
        assertThat(socket.inode()).isEqualTo(178717);
        assertThat(socket.uid()).isZero();
    }

    @Test
    void aListeningSocketIsDestroyedAsSsKillsIt() throws Exception {
        // ss -K -tln sport = :8123 (the listener's cookie was 0x78)
        byte[] expected = bytes(
                "48000000",                   // nlmsg_len = 72
                "1500",                       // nlmsg_type = SOCK_DESTROY
                "0500",                       // REQUEST | ACK
                "2a000000", "00000000",
                "02 06 00 00",                // AF_INET, IPPROTO_TCP, ext, pad
                "00000000",                   // idiag_states: not a filter here
                "1fbb", "0000",               // id: sport 8123, dport
                "00000000000000000000000000000000", "00000000000000000000000000000000",
                "00000000",                   //   if
                "78000000", "00000000");      //   cookie, as the dump gave it
        InetSocket listener = new InetSocket(SockDiag.AF_INET, SockDiag.IPPROTO_TCP, SockDiag.TCP_LISTEN,
                InetAddress.getByName("0.0.0.0"), 8123, InetAddress.getByName("0.0.0.0"), 0, 0, 0x78, 1, 0);

        assertBytes(SockDiag.destroy(listener).message().toBytes(SEQUENCE), expected);
    }

    @Test
    void anIpv6UdpSocketIsDestroyedAsSsKillsIt() throws Exception {
        // ss -K -uan sport = :8124, for a socket bound to [::1]:8124 (cookie 0x79)
        byte[] expected = bytes(
                "48000000", "1500", "0500", "2a000000", "00000000",
                "0a 11 00 00", "00000000",
                "1fbc", "0000",
                "00000000000000000000000000000001", // src ::1
                "00000000000000000000000000000000",
                "00000000", "79000000", "00000000");
        InetSocket udp = new InetSocket(SockDiag.AF_INET6, SockDiag.IPPROTO_UDP, SockDiag.TCP_CLOSE,
                InetAddress.getByName("::1"), 8124, InetAddress.getByName("::"), 0, 0, 0x79, 1, 0);

        assertBytes(SockDiag.destroy(udp).message().toBytes(SEQUENCE), expected);
    }

    @Test
    void unixSocketsAreDumpedWithTheirNamesOnly() {
        // ss -xa sends the same but shows 0x15 (NAME | PEER | RQLEN): Isonet asks only for names
        byte[] expected = bytes(
                "28000000", "1400", "0103", "2a000000", "00000000",
                "01 00 0000",                 // unix_diag_req: AF_UNIX, protocol, pad
                "ff0f0000",                   //   udiag_states: all
                "00000000",                   //   udiag_ino: any
                "01000000",                   //   udiag_show = UDIAG_SHOW_NAME (ss: 15000000)
                "00000000 00000000");         //   udiag_cookie

        assertBytes(SockDiag.unixDumpRequest().toBytes(SEQUENCE), expected);
    }

    @Test
    void anAbstractUnixSocketFromTheKernelIsNamedWithoutItsLeadingNul() {
        // the kernel's answer to ss -xa for a stream socket bound to "\0isonet/subnet/10.1.2.0/24"
        byte[] message = bytes(
                "54000000", "1400", "0200", "40e20100", "3a730000",
                "01", "01", "07", "00",       // unix_diag_msg: AF_UNIX, SOCK_STREAM, state CLOSE, pad
                "7dc00200",                   //   udiag_ino = 180349
                "b6000000 00000000",          //   cookie
                "1e00 0000",                  // UNIX_DIAG_NAME (type 0), 26 bytes + pad
                "00", "69736f6e65742f7375626e65742f31302e312e322e302f3234", "0000",
                "0c00 0400", "0000000000000000", // UNIX_DIAG_RQLEN
                "0500 0600", "00 000000");    // UNIX_DIAG_SHUTDOWN

        SockDiag.UnixSocket socket = SockDiag.unixSocket(Reply.copyOf(message, 0, message.length));

        assertThat(socket.name()).isEqualTo("isonet/subnet/10.1.2.0/24");
        assertThat(socket.abstractName()).isTrue();
        assertThat(socket.inode()).isEqualTo(180349);
        assertThat(socket.type()).isEqualTo(1);
    }
}
