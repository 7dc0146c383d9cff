package dev.isonet.internal.netlink;

import dev.isonet.Bulk;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A bounded TCP transfer between two scratch namespaces, timed as {@link Bulk} times it. */
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
             })) {
            return Bulk.bitsPerSecond(server, client, bytes);
        }
    }
}
