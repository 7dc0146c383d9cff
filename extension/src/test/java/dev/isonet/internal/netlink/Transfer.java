package dev.isonet.internal.netlink;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A bounded TCP transfer between two scratch namespaces, timed from the first byte written to the last read. */
final class Transfer {
    private Transfer() {}

    /** Sends {@code bytes} from {@code from} to {@code to} at {@code address}; answers the goodput in bits/s. */
    static double bitsPerSecond(ScratchNamespace from, ScratchNamespace to, String address, int bytes)
            throws Exception {
        try (ServerSocket server = to.call(() -> new ServerSocket(0, 1, InetAddress.getByName(address)));
             Socket client = from.call(() -> {
                 Socket socket = new Socket();
                 socket.connect(new InetSocketAddress(address, server.getLocalPort()), 5_000);
                 return socket;
             });
             Socket accepted = server.accept()) {
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
