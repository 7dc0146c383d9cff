package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.internal.netlink.Rtnetlink;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A closed network's router serves the next network on the same subnet (setting isonet.reuse), and nothing of
 * the first network reaches the second: not its faults, not its connection tracking, not a node of it that
 * something still holds open. A router that a fault changed beyond what a reset undoes, or with reuse off, is
 * destroyed; a kept one goes after its linger, or when a network needs its subnet. Networks come from a pool of
 * their own, so that other tests' kept routers are not in the way.
 */
@RequiresPrivileges
@Timeout(120)
class RouterReuseTests {
    private static final String POOL = "10.216.0.0/16";

    @AfterEach
    void reuseOnAgain() {
        System.clearProperty("isonet.reuse");
    }

    private static Network.Builder network() {
        return Network.builder().pool(POOL).node("a", "b");
    }

    /** Closes {@code network}, waits until it is reaped (its router reset and kept), and names its host link. */
    private static String closed(Network network) throws Exception {
        String link = network.hostLink();
        network.close();
        network.reaped().get(10, TimeUnit.SECONDS);
        return link;
    }

    private static boolean onTheHost(String link) {
        return Files.exists(Path.of("/sys/class/net", link));
    }

    @Test
    void theNextNetworkGetsTheClosedNetworksRouterAndSubnetAndWorks() throws Exception {
        Network first = network().build();
        String link = first.hostLink();
        String subnet = first.subnet();
        first.close();
        first.reaped().get(10, TimeUnit.SECONDS);
        assertThat(onTheHost(link)).as("kept: its host link stays").isTrue();

        try (Network second = network().build()) {
            assertThat(second.hostLink()).isEqualTo(link);
            assertThat(second.subnet()).isEqualTo(subnet);
            assertThat(connects(second.node("a"), second.node("b"))).isTrue();
            try (ServerSocket listener = second.node("a").run(() -> new ServerSocket(7100))) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(second.node("a").ipv4(), 7100), 5_000); // from the host
                }
            }
        }
    }

    @Test
    void nodesMadeAheadTakeTheirNamesBeforeTheirFirstThreadOrProcessSeesIt() throws Exception {
        Network first = network().build();
        first.close();
        first.reaped().get(10, TimeUnit.SECONDS);
        Thread.sleep(200); // the kept router's nodes made ahead are ready
        try (Network second = Network.builder().pool(POOL).node("web", "db").build()) {
            // web's first use is a process, db's a thread; both namespaces were made ahead as "spare"
            assertThat(second.node("web").exec("hostname").stdout().strip()).isEqualTo("web");
            assertThat(second.node("db").run(() -> Files.readString(Path.of("/proc/sys/kernel/hostname")).strip()))
                    .isEqualTo("db");
            assertThat(second.node("db").exec("hostname").stdout().strip()).isEqualTo("db");
            assertThat(second.node("web").run(() -> java.net.InetAddress.getLocalHost().getHostName()))
                    .isEqualTo("web");
        }
    }

    @Test
    void faultsAndConnectionTrackingOfTheClosedNetworkDoNotCarryOver() throws Exception {
        try (ExternalHost outside = ExternalHost.create("ext", "198.51.100.241/29")) {
            DatagramSocket extSocket = outside.run(() -> new DatagramSocket(6000));
            extSocket.setSoTimeout(5_000);
            Network first = network().build();
            Node a = first.node("a");
            // A UDP flow out through NAT, answered: the router tracks it, and lets the answers in.
            DatagramSocket nodeSocket = a.run(() -> new DatagramSocket(5353));
            nodeSocket.setSoTimeout(5_000);
            nodeSocket.send(new DatagramPacket(new byte[] {1}, 1, new InetSocketAddress(outside.address(), 6000)));
            DatagramPacket seen = new DatagramPacket(new byte[16], 16);
            outside.run(() -> {
                extSocket.receive(seen);
                return null;
            });
            InetSocketAddress natSource = (InetSocketAddress) seen.getSocketAddress();
            outside.run(() -> {
                extSocket.send(new DatagramPacket(new byte[] {2}, 1, natSource));
                return null;
            });
            DatagramPacket answer = new DatagramPacket(new byte[16], 16);
            nodeSocket.receive(answer);
            assertThat(answer.getData()[0]).as("the answer came in while the network was open").isEqualTo((byte) 2);
            nodeSocket.close();
            // Faults of every kind a reset must undo: sets, address pairs, loss chains.
            first.partition(List.of(a), List.of(first.node("b")));
            first.block(a, outside);
            first.outside().loss(100);
            String link = closed(first);

            try (Network second = network().build()) {
                assertThat(second.hostLink()).as("the same router").isEqualTo(link);
                assertThat(second.faults()).isEmpty();
                Node a2 = second.node("a");
                assertThat(a2.ipv4()).isEqualTo(a.ipv4());
                assertThat(connects(a2, second.node("b"))).as("no partition").isTrue();
                assertThat(reachesOutside(a2, outside)).as("no block, no loss on the uplink").isTrue();
                // The old flow's tracking entry is gone: the outside's datagram to the old NAT source is dropped
                // at the uplink (not from the host), however the new node listens on the same address and port.
                DatagramSocket again = a2.run(() -> new DatagramSocket(5353));
                again.setSoTimeout(1_500);
                for (int i = 0; i < 3; i++) {
                    outside.run(() -> {
                        extSocket.send(new DatagramPacket(new byte[] {3}, 1, natSource));
                        return null;
                    });
                }
                boolean received;
                try {
                    again.receive(new DatagramPacket(new byte[16], 16));
                    received = true;
                } catch (SocketTimeoutException e) {
                    received = false;
                }
                again.close();
                assertThat(received).as("a datagram of the closed network's flow reached the new node").isFalse();
            } finally {
                extSocket.close();
            }
        }
    }

    @Test
    void aNodeOfTheClosedNetworkThatSomethingStillHoldsCannotReachTheNextNetwork() throws Exception {
        Network first = network().build();
        Node a = first.node("a");
        Node b = first.node("b");
        ServerSocket firstListener = b.run(() -> new ServerSocket(7200));
        CountDownLatch secondReady = new CountDownLatch(1);
        CompletableFuture<Boolean> reachedFirst = new CompletableFuture<>();
        CompletableFuture<String> triedSecond = new CompletableFuture<>();
        // A thread that stays inside node a after close (it ignores the interrupt): it holds a's namespace.
        Thread stray = a.threadFactory().newThread(() -> {
            reachedFirst.complete(connectsFromHere(b.ipv4().getHostAddress(), 7200));
            while (true) {
                try {
                    secondReady.await();
                    break;
                } catch (InterruptedException e) {
                    // stays: this is what the test is about
                }
            }
            triedSecond.complete(connectsFromHere(b.ipv4().getHostAddress(), 7200) ? "connected"
                    : "refused or timed out");
        });
        stray.start();
        assertThat(reachedFirst.get(10, TimeUnit.SECONDS)).as("the thread reached b while the network was open")
                .isTrue();
        firstListener.close();
        String link = closed(first);

        try (Network second = network().build()) {
            assertThat(second.hostLink()).isEqualTo(link);
            Node b2 = second.node("b");
            assertThat(b2.ipv4()).isEqualTo(b.ipv4());
            try (ServerSocket listener = b2.run(() -> new ServerSocket(7200))) {
                CompletableFuture<Void> accepting = CompletableFuture.runAsync(() -> {
                    try {
                        b2.run(() -> {
                            listener.setSoTimeout(4_000);
                            listener.accept().close();
                            return null;
                        });
                    } catch (Exception e) {
                        // nobody came: as it should be
                    }
                });
                secondReady.countDown();
                assertThat(triedSecond.get(10, TimeUnit.SECONDS)).isEqualTo("refused or timed out");
                accepting.get(10, TimeUnit.SECONDS);
            }
        } finally {
            secondReady.countDown();
            stray.join(10_000);
        }
    }

    @Test
    void aNetworkWhoseUplinkWasDisconnectedDoesNotLeaveItsRouter() throws Exception {
        Network first = network().build();
        first.outside().disconnect();
        String link = closed(first);
        assertThat(onTheHost(link)).as("destroyed: reaped() waited until its host link was gone").isFalse();
    }

    @Test
    void withReuseOffEveryRouterIsDestroyedWithItsNetwork() throws Exception {
        System.setProperty("isonet.reuse", "false");
        Network first = network().build();
        String link = closed(first);
        assertThat(onTheHost(link)).isFalse();
    }

    @Test
    void aKeptRouterThatNoNetworkTakesGoesAfterItsLinger() throws Exception {
        Network first = network().build();
        String link = closed(first);
        long kept = System.nanoTime();
        assertThat(onTheHost(link)).isTrue();
        while (onTheHost(link) && System.nanoTime() - kept < TimeUnit.SECONDS.toNanos(15)) {
            Thread.sleep(50);
        }
        assertThat(onTheHost(link)).as("gone within 15 s").isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - kept)).as("not before its linger of 2 s")
                .isGreaterThanOrEqualTo(1_500);
    }

    @Test
    void aFixedSubnetThatAKeptRouterHoldsIsServedByItOrFreedForAnOverlappingOne() throws Exception {
        Network first = Network.builder().subnet("10.216.200.0/24").node("a").build();
        String link = closed(first);
        Network same = Network.builder().subnet("10.216.200.0/24").node("a").build();
        assertThat(same.hostLink()).isEqualTo(link);
        same.close();
        same.reaped().get(10, TimeUnit.SECONDS);
        assertThat(onTheHost(link)).isTrue();

        // (A /20 rather than a /23: same base, same host link name, would hide whether the /24 went.)
        try (Network wider = Network.builder().subnet("10.216.192.0/20").node("a").build()) {
            assertThat(wider.subnet()).isEqualTo("10.216.192.0/20");
            assertThat(onTheHost(link)).as("the kept /24 gave way").isFalse();
        }
    }

    @Test
    void aFullPoolTakesBackTheSubnetsOfKeptRouters() throws Exception {
        String pool = "10.216.128.0/23"; // two /24s
        Network x = Network.builder().pool(pool).node("a").build();
        Network y = Network.builder().pool(pool).node("a").build();
        x.close();
        y.close();
        x.reaped().get(10, TimeUnit.SECONDS);
        y.reaped().get(10, TimeUnit.SECONDS);
        assertThat(onTheHost(x.hostLink()) && onTheHost(y.hostLink())).as("both kept").isTrue();

        try (Network z = Network.builder().pool(pool).prefixLength(25).node("a").build()) {
            assertThat(z.subnet()).endsWith("/25");
        }
    }

    @Test
    void aKeptRouterWhoseSubnetTheHostTookMeanwhileIsNotReused() throws Exception {
        Network first = network().build();
        String subnet = first.subnet();
        InetAddress taken = first.node("b").ipv4(); // an address of the kept subnet, given to a host link below
        first.close();
        first.reaped().get(10, TimeUnit.SECONDS);

        try (Rtnetlink host = Rtnetlink.open("the host (test)")) {
            host.apply(Rtnetlink.linkAddVeth(Rtnetlink.VethEnd.named("rrtest0"), Rtnetlink.VethEnd.named("rrtest1")));
            try {
                int index = host.link("rrtest0").index();
                host.apply(Rtnetlink.addrAdd(index, taken, 32), Rtnetlink.linkSetUp(index));

                try (Network second = network().build()) {
                    assertThat(second.subnet()).as("the host uses " + subnet + " now").isNotEqualTo(subnet);
                    assertThat(connects(second.node("a"), second.node("b"))).isTrue();
                }
            } finally {
                host.apply(Rtnetlink.linkDel("rrtest0")); // its peer goes with it
            }
        }
    }

    @Test
    void aKeptRouterWhoseHostLinkWasDeletedIsNotReused() throws Exception {
        Network first = network().build();
        String link = closed(first);
        try (Rtnetlink host = Rtnetlink.open("the host (test)")) {
            host.apply(Rtnetlink.linkDel(link)); // someone else's cleanup script
        }

        try (Network second = network().build()) {
            Node a = second.node("a");
            try (ServerSocket listener = a.run(() -> new ServerSocket(7101))) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(a.ipv4(), 7101), 5_000); // from the host, over its link
                }
            }
        }
    }

    @Test
    void aWarmUpNetworkThatANetworkAskedBeforeIsNotBuilt() throws Exception {
        network().build().close(); // a network asked for a router: the JVM is past its first network
        java.util.concurrent.atomic.AtomicBoolean built = new java.util.concurrent.atomic.AtomicBoolean();

        dev.isonet.internal.topology.IdleRouters.warmUp(dev.isonet.internal.topology.Subnet.parseNetwork("pool", POOL),
                24, true, () -> true, () -> built.set(true));

        assertThat(built).as("a second cold build beside the first one only slows it down").isFalse();
    }

    /** Whether {@code from} opens a TCP connection to {@code to} on a port it listens on, within 3 s. */
    private static boolean connects(Node from, Node to) throws Exception {
        try (ServerSocket listener = to.run(() -> new ServerSocket(7300))) {
            return from.run(() -> connectsFromHere(to.ipv4().getHostAddress(), 7300));
        }
    }

    private static boolean reachesOutside(Node from, ExternalHost outside) throws Exception {
        try (ServerSocket listener = outside.run(() -> new ServerSocket(7400))) {
            return from.run(() -> connectsFromHere(outside.address().getHostAddress(), 7400));
        }
    }

    private static boolean connectsFromHere(String address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 3_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

}
