package dev.isonet.internal.topology;

import dev.isonet.internal.linux.LibC;
import dev.isonet.internal.ns.HostNamespaces;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A claim on a subnet that every JVM on the host respects: an abstract Unix socket named after it, bound in
 * the host namespace. Binding fails while another process holds it, and the kernel releases it when the
 * holder dies, so nothing is left on disk or behind a killed JVM.
 */
final class SubnetLease implements AutoCloseable {
    private final Subnet subnet;
    private int fd;

    private SubnetLease(Subnet subnet, int fd) {
        this.subnet = subnet;
        this.fd = fd;
    }

    /**
     * Binds the subnet's name, or answers null if another network holds it. Any thread may call this: a
     * socket belongs to the namespace it was created in, and the sockets are created on host threads.
     */
    static SubnetLease tryAcquire(Subnet subnet) {
        String what = "lease on " + subnet;
        int fd = unboundSocket();
        byte[] name = ("isonet/subnet/" + subnet).getBytes(StandardCharsets.US_ASCII);
        byte[] address = new byte[2 + 1 + name.length];
        address[0] = (byte) LibC.AF_UNIX; // sun_family, little-endian u16
        System.arraycopy(name, 0, address, 3, name.length); // sun_path[0] = 0: abstract
        try {
            if (LibC.tryBind(fd, address, what)) {
                return new SubnetLease(subnet, fd);
            }
        } catch (RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
        UNBOUND.add(fd); // still unbound: good for the next try
        return null;
    }

    /** Unbound AF_UNIX sockets of the host namespace, made a few at a time on a host thread. */
    private static final Queue<Integer> UNBOUND = new ConcurrentLinkedQueue<>();

    private static int unboundSocket() {
        Integer fd = UNBOUND.poll();
        if (fd != null) {
            return fd;
        }
        for (int fresh : HostNamespaces.onHostThread(() -> {
            int[] fds = new int[4];
            for (int i = 0; i < fds.length; i++) {
                fds[i] = LibC.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, "subnet lease");
            }
            return fds;
        })) {
            UNBOUND.add(fresh);
        }
        return UNBOUND.remove();
    }

    Subnet subnet() {
        return subnet;
    }

    @Override
    public synchronized void close() {
        LibC.close(fd);
        fd = -1;
    }
}
