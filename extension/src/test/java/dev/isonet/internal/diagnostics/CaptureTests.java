package dev.isonet.internal.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.RequiresPrivileges;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The capture sees each frame on the bridge once, also one that a fault drops, from the moment the network is up. */
@RequiresPrivileges
@Timeout(60)
class CaptureTests {
    @TempDir
    Path folder;

    @Test
    void aHandshakeBetweenTwoNodesIsCapturedOnceEachWay() throws Exception {
        try (Network network = Network.builder().node("server", "client").nat(false).build()) {
            Node server = network.node("server");
            Node client = network.node("client");
            ServerSocket listener = server.run(() -> new ServerSocket(7000));
            Future<?> accepted = server.executor().submit(() -> {
                try (listener; Socket peer = listener.accept()) {
                    return peer.getInputStream().read();
                }
            });
            int clientPort = client.run(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(server.ipv4(), 7000), 5_000);
                    socket.getOutputStream().write(1);
                    return socket.getLocalPort();
                }
            });
            accepted.get(5, TimeUnit.SECONDS);

            network.writeDiagnostics(folder);
            PcapFile pcap = PcapFile.read(folder.resolve("capture.pcap"));

            assertThat(pcap.linkType()).isEqualTo(1);
            List<PcapFile.Tcp> tcp = pcap.tcp();
            assertThat(tcp).filteredOn(t -> t.isSyn() && t.source().equals(client.ipv4())
                    && t.sourcePort() == clientPort && t.destination().equals(server.ipv4())
                    && t.destinationPort() == 7000).hasSize(1);
            assertThat(tcp).filteredOn(t -> t.isSynAck() && t.source().equals(server.ipv4())
                    && t.sourcePort() == 7000 && t.destination().equals(client.ipv4())
                    && t.destinationPort() == clientPort).hasSize(1);
        }
    }

    @Test
    void theNextNetworkOnAKeptRouterIsCapturedFromItsStartAndNothingOfTheLastOne() throws Exception {
        String pool = "10.215.0.0/16"; // a pool of its own: the second network takes the first one's router
        Network first = Network.builder().pool(pool).node("server", "client").nat(false).build();
        String link = first.hostLink();
        handshake(first, 7002);
        first.close();
        first.reaped().get(10, TimeUnit.SECONDS);

        try (Network second = Network.builder().pool(pool).node("server", "client").nat(false).build()) {
            assertThat(second.hostLink()).as("the same router").isEqualTo(link);
            handshake(second, 7003);

            second.writeDiagnostics(folder);
            List<PcapFile.Tcp> tcp = PcapFile.read(folder.resolve("capture.pcap")).tcp();

            assertThat(tcp).filteredOn(t -> t.isSyn() && t.destinationPort() == 7003).hasSize(1);
            assertThat(tcp).filteredOn(t -> t.destinationPort() == 7002 || t.sourcePort() == 7002).isEmpty();
        }
    }

    private static void handshake(Network network, int port) throws Exception {
        Node server = network.node("server");
        try (ServerSocket listener = server.run(() -> new ServerSocket(port))) {
            Future<?> accepted = server.executor().submit(() -> {
                try (Socket peer = listener.accept()) {
                    return peer.getInputStream().read();
                }
            });
            network.node("client").run(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(server.ipv4(), port), 5_000);
                    socket.getOutputStream().write(1);
                }
                return null;
            });
            accepted.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSynThatABlockOrAnIsolationDropsIsCapturedOnce() throws Exception {
        try (Network network = Network.builder().node("server", "client").nat(false).build()) {
            Node server = network.node("server");
            Node client = network.node("client");
            ServerSocket listener = server.run(() -> new ServerSocket(7001));
            try (listener) {
                network.block(client, server);
                int blocked = timedOutConnect(client, server);
                network.heal();
                network.isolate(client);
                int isolated = timedOutConnect(client, server);

                network.writeDiagnostics(folder);
                List<PcapFile.Tcp> tcp = PcapFile.read(folder.resolve("capture.pcap")).tcp();

                assertThat(tcp).filteredOn(t -> t.isSyn() && t.sourcePort() == blocked).hasSize(1);
                assertThat(tcp).filteredOn(t -> t.isSyn() && t.sourcePort() == isolated).hasSize(1);
                assertThat(tcp).filteredOn(PcapFile.Tcp::isSynAck).isEmpty();
            }
        }
    }

    /** A connect that the network drops, after 300 ms; returns its local port. */
    private static int timedOutConnect(Node from, Node to) throws Exception {
        return from.run(() -> {
            try (Socket socket = new Socket()) {
                socket.bind(null);
                try {
                    socket.connect(new InetSocketAddress(to.ipv4(), 7001), 300);
                } catch (java.net.SocketTimeoutException expected) {
                    // dropped
                }
                return socket.getLocalPort();
            }
        });
    }
}
