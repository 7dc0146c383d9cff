package dev.isonet;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A bounded bulk TCP transfer between two places of one host (a node, or the host when null), timed from the
 * first byte written to the last byte read: the goodput, without headers. Sockets are made inside their
 * places and used from host threads.
 */
public final class Bulk {
    private Bulk() {}

    private static <T> T in(Node node, Callable<T> make) throws Exception {
        return node == null ? make.call() : node.run(make);
    }

    /** Sends {@code bytes} from {@code from} to {@code to} at {@code address}; answers bits per second. */
    static double bitsPerSecond(Node from, Node to, InetAddress address, int bytes) throws Exception {
        try (ServerSocket server = in(to, () -> new ServerSocket(0, 1, address));
             Socket client = in(from, () -> {
                 Socket socket = new Socket();
                 socket.connect(new InetSocketAddress(address, server.getLocalPort()), 5_000);
                 return socket;
             })) {
            return bitsPerSecond(server, client, bytes);
        }
    }

    /**
     * Sends {@code bytes} from {@code client} to the connection {@code server} accepts from it; answers bits per
     * second. For any place the sockets were made in.
     */
    public static double bitsPerSecond(ServerSocket server, Socket client, int bytes) throws Exception {
        try (Socket accepted = server.accept()) {
            CompletableFuture<Long> done = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = accepted.getInputStream()) {
                    byte[] buffer = new byte[64 * 1024];
                    long total = 0;
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        total += n;
                    }
                    if (total != bytes) {
                        throw new IllegalStateException("received " + total + " of " + bytes + " bytes");
                    }
                    return System.nanoTime();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long start = System.nanoTime();
            OutputStream out = client.getOutputStream();
            byte[] chunk = new byte[16 * 1024];
            for (int sent = 0; sent < bytes; sent += chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, bytes - sent));
            }
            client.shutdownOutput();
            long end = done.get(60, TimeUnit.SECONDS);
            return bytes * 8 / ((end - start) / 1e9);
        }
    }
}
