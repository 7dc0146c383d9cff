package dev.isonet.internal.topology;

import dev.isonet.internal.linux.LibC;
import java.nio.charset.StandardCharsets;

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

    /** Must run on a thread in the host namespace: abstract socket names are per network namespace. */
    static SubnetLease tryAcquire(Subnet subnet) {
        String what = "lease on " + subnet;
        int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, what);
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
        LibC.close(fd);
        return null;
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
