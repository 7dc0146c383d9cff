package dev.isonet;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;

/**
 * Who reaches whom, measured with real traffic between the parties of one network (its nodes, and the host
 * at its own address toward that network): directed UDP datagrams, and TCP connects (which need both
 * directions). Sockets are made inside each party, then used from host threads; every wait is bounded.
 * Results are sets of "a->b", so that a failed assertion shows the difference.
 */
final class Reachability implements AutoCloseable {
    static final int UDP_PORT = 7201;
    static final int TCP_PORT = 7202;
    private static final int CONNECT_TIMEOUT_MILLIS = 600;
    private static final int SEND_ROUNDS = 3;
    private static final long ROUND_MILLIS = 100;
    private static final long RECEIVE_MILLIS = 600;

    /** A node, or the host: how to make a socket inside it, and its addresses. */
    record Party(String name, ExecutorService inside, InetAddress ipv4, InetAddress ipv6) {
        static Party of(Node node) {
            return new Party(node.name(), node.executor(), node.ipv4(), node.ipv6());
        }

        static Party host(Network network, ExecutorService hostThreads) {
            return new Party("host", hostThreads, network.hostAddress(), network.hostAddressIpv6());
        }

        InetAddress address(boolean ipv6) {
            return ipv6 ? this.ipv6 : ipv4;
        }

        <T> T make(Callable<T> what) throws Exception {
            return inside.submit(what).get(5, TimeUnit.SECONDS);
        }
    }

    /**
     * What got through, per protocol and IP version: UDP is directed (a datagram from a arrived at b); a TCP
     * connect and an ICMP echo need both directions.
     */
    record Matrix(Set<String> udp4, Set<String> udp6, Set<String> tcp4, Set<String> tcp6, Set<String> icmp4,
                  Set<String> icmp6) {
        /** What {@code directed} reachability looks like over every protocol. */
        static Matrix of(Set<String> directed) {
            Set<String> both = bothWays(directed);
            return new Matrix(directed, directed, both, both, both, both);
        }

        @Override
        public String toString() {
            return "\n  udp4  " + udp4 + "\n  udp6  " + udp6 + "\n  tcp4  " + tcp4 + "\n  tcp6  " + tcp6
                    + "\n  icmp4 " + icmp4 + "\n  icmp6 " + icmp6;
        }
    }

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Party> parties = new ArrayList<>();

    /** The nodes, then the host (named "host"). */
    Reachability(Network network, List<Node> nodes) {
        nodes.forEach(node -> parties.add(Party.of(node)));
        parties.add(Party.host(network, threads));
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }

    /** Every ordered pair of distinct parties for which {@code reaches} holds, as "a->b". */
    Set<String> expected(BiPredicate<String, String> reaches) {
        Set<String> pairs = new TreeSet<>();
        for (Party from : parties) {
            for (Party to : parties) {
                if (from != to && reaches.test(from.name(), to.name())) {
                    pairs.add(from.name() + "->" + to.name());
                }
            }
        }
        return pairs;
    }

    /** The pairs of {@code directed} whose reverse is there too: where a TCP connect can succeed. */
    static Set<String> bothWays(Set<String> directed) {
        Set<String> pairs = new TreeSet<>();
        for (String pair : directed) {
            String[] ends = pair.split("->");
            if (directed.contains(ends[1] + "->" + ends[0])) {
                pairs.add(pair);
            }
        }
        return pairs;
    }

    /** Every protocol and IP version, measured at the same time (about a second). */
    Matrix measure() throws Exception {
        Future<Set<String>> udp4 = threads.submit(() -> udp(false));
        Future<Set<String>> udp6 = threads.submit(() -> udp(true));
        Future<Set<String>> tcp4 = threads.submit(() -> tcp(false));
        Future<Set<String>> tcp6 = threads.submit(() -> tcp(true));
        Future<Set<String>> icmp4 = threads.submit(() -> icmp(false));
        Future<Set<String>> icmp6 = threads.submit(() -> icmp(true));
        return new Matrix(udp4.get(30, TimeUnit.SECONDS), udp6.get(30, TimeUnit.SECONDS),
                tcp4.get(30, TimeUnit.SECONDS), tcp6.get(30, TimeUnit.SECONDS), icmp4.get(30, TimeUnit.SECONDS),
                icmp6.get(30, TimeUnit.SECONDS));
    }

    /**
     * Pairs whose ICMP echo got an answer. As root, {@code InetAddress.isReachable} sends a real ICMP (or
     * ICMPv6) echo request from a raw socket, made in the calling thread's namespace: so it runs inside the
     * sender, and accepts only a reply from the target's address.
     */
    Set<String> icmp(boolean ipv6) throws Exception {
        Set<String> answered = ConcurrentHashMap.newKeySet();
        List<Future<?>> pings = new ArrayList<>();
        for (Party from : parties) {
            for (Party to : parties) {
                if (from != to) {
                    pings.add(from.inside().submit(() -> {
                        if (to.address(ipv6).isReachable(CONNECT_TIMEOUT_MILLIS)) {
                            answered.add(from.name() + "->" + to.name());
                        }
                        return null;
                    }));
                }
            }
        }
        for (Future<?> ping : pings) {
            ping.get(10, TimeUnit.SECONDS);
        }
        return new TreeSet<>(answered);
    }

    /** Pairs a datagram got through: each sender sends a few to each receiver, each receiver listens. */
    Set<String> udp(boolean ipv6) throws Exception {
        List<DatagramSocket> sockets = new ArrayList<>();
        Set<String> arrived = ConcurrentHashMap.newKeySet();
        try {
            for (Party party : parties) {
                InetSocketAddress at = new InetSocketAddress(party.address(ipv6), UDP_PORT);
                sockets.add(party.make(() -> new DatagramSocket(at)));
            }
            List<Future<?>> receivers = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SEND_ROUNDS * ROUND_MILLIS + RECEIVE_MILLIS);
            for (DatagramSocket socket : sockets) {
                receivers.add(threads.submit(() -> receive(socket, deadline, arrived)));
            }
            for (int round = 0; round < SEND_ROUNDS; round++) {
                for (int i = 0; i < parties.size(); i++) {
                    for (int j = 0; j < parties.size(); j++) {
                        if (i != j) {
                            send(sockets.get(i), parties.get(i).name() + "->" + parties.get(j).name(),
                                    parties.get(j).address(ipv6));
                        }
                    }
                }
                Thread.sleep(ROUND_MILLIS);
            }
            for (Future<?> receiver : receivers) {
                receiver.get(10, TimeUnit.SECONDS);
            }
        } finally {
            sockets.forEach(DatagramSocket::close);
        }
        return new TreeSet<>(arrived);
    }

    private static void send(DatagramSocket socket, String token, InetAddress to) {
        byte[] bytes = token.getBytes(StandardCharsets.US_ASCII);
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, to, UDP_PORT));
        } catch (IOException unreachable) {
            // no route (a disconnected link) or an ICMP error from an earlier datagram: not arrived
        }
    }

    private static Void receive(DatagramSocket socket, long deadline, Set<String> arrived) throws IOException {
        byte[] buffer = new byte[256];
        while (true) {
            // Past the deadline, what is queued still counts: a receiver that a loaded machine started late
            // must not lose datagrams that did arrive.
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            socket.setSoTimeout((int) left);
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException done) {
                return null;
            }
            arrived.add(new String(buffer, 0, packet.getLength(), StandardCharsets.US_ASCII));
        }
    }

    /** Pairs whose TCP connect succeeded within the timeout; all pairs are tried at once. */
    Set<String> tcp(boolean ipv6) throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        Set<String> connected = Collections.synchronizedSet(new TreeSet<>());
        try {
            for (Party party : parties) {
                InetSocketAddress at = new InetSocketAddress(party.address(ipv6), TCP_PORT);
                open.add(party.make(() -> {
                    ServerSocket listener = new ServerSocket();
                    listener.setReuseAddress(true);
                    listener.bind(at, 100);
                    return listener;
                }));
            }
            List<Future<?>> attempts = new ArrayList<>();
            for (Party from : parties) {
                for (Party to : parties) {
                    if (from == to) {
                        continue;
                    }
                    SocketChannel channel = from.make(SocketChannel::open);
                    open.add(channel);
                    InetSocketAddress target = new InetSocketAddress(to.address(ipv6), TCP_PORT);
                    attempts.add(threads.submit(() -> {
                        try {
                            channel.socket().connect(target, CONNECT_TIMEOUT_MILLIS);
                            connected.add(from.name() + "->" + to.name());
                        } catch (IOException failed) {
                            // timed out, or unreachable
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> attempt : attempts) {
                attempt.get(10, TimeUnit.SECONDS);
            }
        } finally {
            for (AutoCloseable closeable : open) {
                closeable.close();
            }
        }
        return new TreeSet<>(connected);
    }
}
