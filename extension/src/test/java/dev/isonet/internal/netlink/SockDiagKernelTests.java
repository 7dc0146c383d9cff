package dev.isonet.internal.netlink;

import dev.isonet.RequiresPrivileges;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isonet.internal.linux.LibC;
import dev.isonet.internal.linux.LinuxException;
import dev.isonet.internal.netlink.SockDiag.InetSocket;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Root: sock_diag in a fresh namespace lists the JVM's sockets made there and SOCK_DESTROY aborts them, so
 * that a thread blocked on them returns.
 */
@RequiresPrivileges
@Timeout(60)
class SockDiagKernelTests {
    private ScratchNamespace ns;
    private SockDiag diag;

    @BeforeEach
    void namespace() {
        ScratchNamespace.assumeRoot();
        ns = ScratchNamespace.create();
        diag = ns.own(ns.call(() -> SockDiag.open("scratch namespace")));
    }

    @AfterEach
    void remove() {
        if (ns != null) {
            ns.close();
        }
    }

    private InetSocket only(List<InetSocket> sockets, int port, int state) {
        List<InetSocket> found = sockets.stream().filter(s -> s.sourcePort() == port && s.state() == state).toList();
        assertThat(found).as("sockets on port %d in state %d among %s", port, state, sockets).hasSize(1);
        return found.get(0);
    }

    @Test
    void aServerSocketAndABoundUdpSocketAreListedWithTheirPorts() throws Exception {
        try (ServerSocket server = ns.own(ns.call(() -> new ServerSocket(0)));
             DatagramSocket udp = ns.own(ns.call(() -> new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))))) {
            InetSocket listener = only(diag.inetList(SockDiag.IPPROTO_TCP, SockDiag.states(SockDiag.TCP_LISTEN)),
                    server.getLocalPort(), SockDiag.TCP_LISTEN);
            InetSocket bound = only(diag.inetList(SockDiag.IPPROTO_UDP, SockDiag.ALL_STATES), udp.getLocalPort(),
                    SockDiag.TCP_CLOSE);

            System.out.println("listed: " + listener + ", " + bound);
            assertThat(listener.family()).as("the JDK's dual-stack socket").isEqualTo(SockDiag.AF_INET6);
            assertThat(listener.inode()).isPositive();
            assertThat(listener.uid()).isZero();
            assertThat(bound.family()).as("dual-stack too, bound to ::ffff:127.0.0.1").isEqualTo(SockDiag.AF_INET6);
            assertThat(bound.source()).isEqualTo(InetAddress.getByName("127.0.0.1"));
            assertThat(diag.inetList(SockDiag.AF_INET, SockDiag.IPPROTO_TCP, SockDiag.ALL_STATES))
                    .as("nothing in the IPv4 table").isEmpty();
        }
    }

    @Test
    void destroyingAListeningSocketMakesABlockedAcceptReturnWithinASecond() throws Exception {
        try (ServerSocket server = ns.own(ns.call(() -> new ServerSocket(0)))) {
            CompletableFuture<Object> accepting = blocked(() -> server.accept());
            InetSocket listener = only(diag.inetList(SockDiag.IPPROTO_TCP, SockDiag.states(SockDiag.TCP_LISTEN)),
                    server.getLocalPort(), SockDiag.TCP_LISTEN);

            long start = System.nanoTime();
            diag.apply(SockDiag.destroy(listener));

            Throwable failure = outcome(accepting);
            System.out.printf("accept after SOCK_DESTROY: %s after %.1f ms%n", failure, (System.nanoTime() - start) / 1e6);
            assertThat(failure).isInstanceOf(IOException.class);
            assertThat(diag.inetList(SockDiag.IPPROTO_TCP, SockDiag.ALL_STATES)).isEmpty();
            assertThatThrownBy(() -> diag.apply(SockDiag.destroy(listener))).isInstanceOfSatisfying(
                    LinuxException.class, e -> assertThat(e.errnoName()).isEqualTo("ENOENT"));
        }
    }

    @Test
    void destroyingAnEstablishedSocketMakesABlockedReadReturn() throws Exception {
        try (ServerSocket server = ns.own(ns.call(() -> new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))));
             Socket client = ns.own(ns.call(() -> new Socket("127.0.0.1", server.getLocalPort())));
             Socket accepted = server.accept()) {
            CompletableFuture<Object> reading = blocked(() -> accepted.getInputStream().read());
            CompletableFuture<Object> peerReading = blocked(() -> client.getInputStream().read());
            InetSocket established = only(diag.inetList(SockDiag.IPPROTO_TCP, SockDiag.states(SockDiag.TCP_ESTABLISHED)),
                    server.getLocalPort(), SockDiag.TCP_ESTABLISHED);

            long start = System.nanoTime();
            diag.apply(SockDiag.destroy(established));

            Throwable failure = outcome(reading);
            System.out.printf("read after SOCK_DESTROY: %s after %.1f ms%n", failure, (System.nanoTime() - start) / 1e6);
            assertThat(failure).isInstanceOf(IOException.class);
            Throwable peer = outcome(peerReading);
            System.out.println("the peer's read: " + peer);
            assertThat(peer).as("the peer got a reset").isInstanceOf(IOException.class);
        }
    }

    @Test
    void destroyingABoundUdpSocketMakesABlockedReceiveReturn() throws Exception {
        try (DatagramSocket udp = ns.own(ns.call(() -> new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))))) {
            CompletableFuture<Object> receiving = blocked(() -> {
                udp.receive(new DatagramPacket(new byte[16], 16));
                return "received";
            });
            InetSocket bound = only(diag.inetList(SockDiag.IPPROTO_UDP, SockDiag.ALL_STATES), udp.getLocalPort(),
                    SockDiag.TCP_CLOSE);

            long start = System.nanoTime();
            diag.apply(SockDiag.destroy(bound));

            Throwable failure = outcome(receiving);
            System.out.printf("receive after SOCK_DESTROY: %s after %.1f ms; still listed: %s%n", failure,
                    (System.nanoTime() - start) / 1e6, diag.inetList(SockDiag.IPPROTO_UDP, SockDiag.ALL_STATES));
            assertThat(failure).isInstanceOf(IOException.class);
        }
    }

    @Test
    void abstractUnixNamesBoundInTheNamespaceAreListed() {
        String name = "isonet/subnet/10.99.0.0/24";
        int fd = ns.call(() -> LibC.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, "test lease"));
        try {
            byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            byte[] address = new byte[3 + bytes.length];
            address[0] = (byte) LibC.AF_UNIX;
            System.arraycopy(bytes, 0, address, 3, bytes.length);
            LibC.bind(fd, address, "test lease");

            List<SockDiag.UnixSocket> sockets = diag.unixList();

            assertThat(sockets).filteredOn(SockDiag.UnixSocket::abstractName).extracting(SockDiag.UnixSocket::name)
                    .containsExactly(name);
        } finally {
            LibC.close(fd);
        }
    }

    /** Starts a blocking call on a host thread and gives it a moment to block. */
    private static CompletableFuture<Object> blocked(Callable<Object> call) throws Exception {
        CompletableFuture<Object> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "blocked");
        thread.setDaemon(true);
        thread.start();
        Thread.sleep(200);
        assertThat(result).as("still blocked").isNotDone();
        return result;
    }

    /** What the blocked call ended with, within a second: its exception, or a value. */
    private static Throwable outcome(CompletableFuture<Object> call) throws Exception {
        try {
            Object value = call.get(1, TimeUnit.SECONDS);
            return new AssertionError("returned " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
