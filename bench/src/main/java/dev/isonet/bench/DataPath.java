package dev.isonet.bench;

import dev.isonet.Node;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * TCP between two nodes (veth, bridge, veth) against two sockets on host loopback: round-trip time of a
 * 4-byte echo and bulk throughput. Fixed counts, each capped in time; traffic stays inside our own
 * namespaces or on 127.0.0.1.
 */
final class DataPath {
    private static final int PORT = 7700;
    private static final int CHUNK = 64 * 1024;
    private static final long CAP_NANOS = 10_000_000_000L;
    private static final int SOCKET_TIMEOUT_MS = 5_000;

    private DataPath() {}

    /** Where the server listens and accepts, and where the client runs. */
    private record Path(String name, Callable<ServerSocket> listen, ExecutorService server, ExecutorService client,
            InetAddress target) {}

    static void measure(Node a, Node b, boolean quick, PrintStream out) throws Exception {
        int rounds = quick ? 1_000 : 5_000;
        long bytes = quick ? 64L << 20 : 512L << 20;
        ExecutorService host = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "bench-loopback");
            thread.setDaemon(true);
            return thread;
        });
        try {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            Path nodes = new Path("node b -> node a (veth, bridge, veth)",
                    () -> a.run(() -> new ServerSocket(PORT, 50, a.ipv4())), a.executor(), b.executor(), a.ipv4());
            Path local = new Path("host 127.0.0.1 -> 127.0.0.1 (loopback)",
                    () -> new ServerSocket(0, 50, loopback), host, host, loopback);
            out.printf("data path (TCP; RTT: %d round trips of 4 bytes; throughput: %d MiB in 64 KiB writes; 10 s cap"
                    + " each):%n", rounds, bytes >> 20);
            for (Path path : new Path[] {nodes, local}) {
                double[] rtt = rtt(path, rounds);
                double[] throughput = throughput(path, bytes);
                out.printf("  %-40s RTT median %6.1f us, p99 %6.1f us; throughput %6.2f Gbit/s (%d MiB in %.0f ms)%n",
                        path.name(), Stats.quantile(rtt, 0.5), Stats.quantile(rtt, 0.99),
                        throughput[0] * 8 / throughput[1] / 1e6, (long) throughput[0] >> 20, throughput[1]);
            }
        } finally {
            host.shutdownNow();
        }
    }

    /** Node b to node a: {RTT median in µs over {@code rounds}, throughput in Gbit/s over {@code bytes}}. */
    static double[] nodeToNode(Node a, Node b, int rounds, long bytes) throws Exception {
        Path nodes = new Path("node b -> node a", () -> a.run(() -> new ServerSocket(PORT, 50, a.ipv4())),
                a.executor(), b.executor(), a.ipv4());
        double[] rtt = rtt(nodes, rounds);
        double[] throughput = throughput(nodes, bytes);
        return new double[] {Stats.quantile(rtt, 0.5), throughput[0] * 8 / throughput[1] / 1e6};
    }

    /** Per-round RTTs in µs. */
    private static double[] rtt(Path path, int rounds) throws Exception {
        try (ServerSocket listener = path.listen().call()) {
            listener.setSoTimeout(SOCKET_TIMEOUT_MS);
            InetSocketAddress address = new InetSocketAddress(path.target(), listener.getLocalPort());
            Future<?> serving = path.server().submit(() -> {
                try (Socket peer = listener.accept()) {
                    peer.setTcpNoDelay(true);
                    peer.setSoTimeout(SOCKET_TIMEOUT_MS);
                    DataInputStream in = new DataInputStream(peer.getInputStream());
                    DataOutputStream out = new DataOutputStream(peer.getOutputStream());
                    while (true) {
                        int value = in.readInt();
                        if (value < 0) {
                            return null;
                        }
                        out.writeInt(value + 1);
                        out.flush();
                    }
                }
            });
            double[] times = path.client().submit(() -> {
                try (Socket socket = new Socket()) {
                    socket.setTcpNoDelay(true);
                    socket.connect(address, SOCKET_TIMEOUT_MS);
                    socket.setSoTimeout(SOCKET_TIMEOUT_MS);
                    DataInputStream in = new DataInputStream(socket.getInputStream());
                    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                    double[] result = new double[rounds];
                    long deadline = System.nanoTime() + CAP_NANOS;
                    int done = 0;
                    while (done < rounds && System.nanoTime() < deadline) {
                        long start = System.nanoTime();
                        out.writeInt(done);
                        out.flush();
                        if (in.readInt() != done + 1) {
                            throw new IllegalStateException("echo answered wrongly at round " + done);
                        }
                        result[done++] = (System.nanoTime() - start) / 1e3;
                    }
                    out.writeInt(-1);
                    out.flush();
                    return java.util.Arrays.copyOf(result, done);
                }
            }).get(CAP_NANOS + 10_000_000_000L, TimeUnit.NANOSECONDS);
            serving.get(SOCKET_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return times;
        }
    }

    /** {bytes the server received, ms from connect until it saw the end}. */
    private static double[] throughput(Path path, long bytes) throws Exception {
        try (ServerSocket listener = path.listen().call()) {
            listener.setSoTimeout(SOCKET_TIMEOUT_MS);
            InetSocketAddress address = new InetSocketAddress(path.target(), listener.getLocalPort());
            Future<Long> received = path.server().submit(() -> {
                try (Socket peer = listener.accept()) {
                    peer.setSoTimeout(SOCKET_TIMEOUT_MS);
                    InputStream in = peer.getInputStream();
                    byte[] buffer = new byte[CHUNK];
                    long total = 0;
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        total += n;
                    }
                    return total;
                }
            });
            long start = System.nanoTime();
            path.client().submit(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(address, SOCKET_TIMEOUT_MS);
                    OutputStream out = socket.getOutputStream();
                    byte[] chunk = new byte[CHUNK];
                    long deadline = System.nanoTime() + CAP_NANOS;
                    for (long sent = 0; sent < bytes && System.nanoTime() < deadline; sent += CHUNK) {
                        out.write(chunk);
                    }
                    socket.shutdownOutput();
                }
                return null;
            }).get(CAP_NANOS + 10_000_000_000L, TimeUnit.NANOSECONDS);
            long total = received.get(SOCKET_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return new double[] {total, (System.nanoTime() - start) / 1e6};
        }
    }
}
