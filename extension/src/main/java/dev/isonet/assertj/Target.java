package dev.isonet.assertj;

import dev.isonet.ExternalHost;
import dev.isonet.Network;
import dev.isonet.Node;
import dev.isonet.Outside;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What a probe aims at: an address, how messages name it, and where a UDP echo can be started for it (a node's
 * or an external host's thread, the host for the outside; none for a bare address that is none of these).
 */
record Target(String description, InetAddress address, Echoes echoes) {
    /** Where a UDP echo for the target can be bound: on threads of its own namespace. */
    interface Echoes {
        /** Binds a UDP socket to {@code port} in the target's namespace; throws if the port is taken. */
        DatagramSocket bind(int port) throws Exception;

        /** Runs the echo loop on a thread of the target's namespace. */
        void serve(Runnable loop);
    }

    static Target of(Node node) {
        Objects.requireNonNull(node, "target");
        return new Target("node '" + node.name() + "' (" + node.ipv4().getHostAddress() + ")", node.ipv4(),
                echoes(node::run, node.executor()));
    }

    static Target of(ExternalHost host) {
        Objects.requireNonNull(host, "target");
        return new Target("external host '" + host.name() + "' (" + host.address().getHostAddress() + ")",
                host.address(), echoes(host::run, host.executor()));
    }

    /** The outside, as far as a probe goes: the host, at the network's host address. */
    static Target of(Outside outside) {
        Objects.requireNonNull(outside, "target");
        Network network = outside.network();
        InetAddress host = network.hostAddress();
        return new Target("outside (the host, " + host.getHostAddress() + ")", host, new Echoes() {
            @Override
            public DatagramSocket bind(int port) throws SocketException {
                return new DatagramSocket(new InetSocketAddress(host, port)); // the test's thread is on the host
            }

            @Override
            public void serve(Runnable loop) {
                Thread thread = new Thread(loop, "isonet-udp-echo");
                thread.setDaemon(true);
                thread.start();
            }
        });
    }

    /** A bare address: a node's, the network's host address, or any other (then no echo is started for UDP). */
    static Target of(InetAddress address, Network network) {
        Objects.requireNonNull(address, "target");
        for (Node node : network.nodes()) {
            if (node.ipv4().equals(address) || node.ipv6().equals(address)) {
                return new Target("node '" + node.name() + "' (" + address.getHostAddress() + ")", address,
                        of(node).echoes);
            }
        }
        if (address.equals(network.hostAddress())) {
            return new Target(address.getHostAddress(), address, of(network.outside()).echoes);
        }
        return new Target(address.getHostAddress(), address, null);
    }

    private static Echoes echoes(Runner runner, ExecutorService executor) {
        return new Echoes() {
            @Override
            public DatagramSocket bind(int port) throws Exception {
                return runner.run(() -> new DatagramSocket(port));
            }

            @Override
            public void serve(Runnable loop) {
                executor.execute(loop);
            }
        };
    }

    private interface Runner {
        DatagramSocket run(Callable<DatagramSocket> task) throws Exception;
    }

    /**
     * Starts a UDP echo on {@code port} for the target, if it has a namespace Isonet knows and the port is free;
     * returns what stops it, or null when something else (the user's server) holds the port or there is no
     * namespace to start one in.
     */
    AutoCloseable startUdpEcho(int port) {
        if (echoes == null) {
            return null;
        }
        DatagramSocket socket;
        try {
            socket = echoes.bind(port);
        } catch (Exception e) {
            return null; // taken: whatever listens there is expected to answer
        }
        echoes.serve(() -> {
            byte[] buffer = new byte[2048];
            try {
                while (true) {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    socket.send(new DatagramPacket(packet.getData(), packet.getLength(), packet.getSocketAddress()));
                }
            } catch (IOException closed) {
                // closed by the assertion
            }
        });
        return socket::close;
    }

    static ExecutorService probes() {
        return Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "isonet-probe");
            thread.setDaemon(true);
            return thread;
        });
    }
}
