package dev.isonet.internal.topology;

import dev.isonet.internal.linux.LibC;
import dev.isonet.internal.ns.HostNamespaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A claim on a subnet that every JVM on the host respects: an abstract Unix socket named after it, bound in
 * the host namespace. The kernel releases it when the holder dies, so nothing is left on disk or behind a
 * killed JVM.
 *
 * <p>Names alone only exclude the same text, not overlapping ranges of other prefix lengths (10.0.6.0/23 and
 * 10.0.7.0/24). So a lease is decided under a host-wide lock — one more abstract name — while the names
 * already bound are read: no two live leases can overlap, whatever their prefix lengths.
 */
final class SubnetLease implements AutoCloseable {
    static final String NAME_PREFIX = "isonet/subnet/";
    private static final String LOCK_NAME = "isonet/lease-lock";
    private static final long LOCK_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Unbound AF_UNIX sockets of the host namespace, made a few at a time on a host thread. */
    private static final Queue<Integer> UNBOUND = new ConcurrentLinkedQueue<>();
    /** The leases this JVM holds: a name bound elsewhere may also be a closed lease of ours that a fork copied. */
    private static final Set<Subnet> OWN = ConcurrentHashMap.newKeySet();

    private final Subnet subnet;
    private int fd;

    private SubnetLease(Subnet subnet, int fd) {
        this.subnet = subnet;
        this.fd = fd;
    }

    /**
     * Runs {@code decide} while this process holds the host-wide lease lock: no other Isonet process (nor
     * thread of this one) leases meanwhile, so what {@link #held()} read stays true until the lock is released.
     */
    static synchronized <T> T underLock(Supplier<T> decide) {
        int lock = unboundSocket();
        try {
            long deadline = System.nanoTime() + LOCK_TIMEOUT_NANOS;
            long pauseMicros = 50;
            while (!LibC.tryBind(lock, address(LOCK_NAME), "Isonet's lease lock")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("another process has held Isonet's subnet lease lock (abstract"
                            + " socket @" + LOCK_NAME + ") for 10 s; is an Isonet JVM stopped in a debugger?");
                }
                pause(pauseMicros, "Isonet's subnet lease lock");
                pauseMicros = Math.min(pauseMicros * 2, 5_000);
            }
            return decide.get();
        } finally {
            LibC.close(lock); // releases the lock's name
        }
    }

    /** The subnets any process on the host holds a lease on, read from the bound abstract socket names. */
    static List<Subnet> held() {
        List<String> lines;
        try {
            // /proc/self/net is the JVM's own namespace: the one the lease sockets are bound in.
            lines = Files.readAllLines(Path.of("/proc/self/net/unix"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/net/unix to see which subnets are leased", e);
        }
        List<Subnet> held = new ArrayList<>();
        String marker = "@" + NAME_PREFIX;
        for (String line : lines) {
            int at = line.indexOf(marker);
            if (at >= 0) {
                try {
                    held.add(Subnet.parse(line.substring(at + marker.length()).strip()));
                } catch (IllegalArgumentException e) {
                    // a name this version does not write: not a lease it must respect
                }
            }
        }
        return held;
    }

    /**
     * Binds the subnet's name, or answers null if it is bound already. Call it under {@link #underLock}, after
     * checking {@link #held()} for overlaps. Any thread may call this: the sockets are made on host threads.
     */
    static SubnetLease tryAcquire(Subnet subnet) {
        int fd = unboundSocket();
        try {
            if (LibC.tryBind(fd, address(NAME_PREFIX + subnet), "lease on " + subnet)) {
                OWN.add(subnet);
                return new SubnetLease(subnet, fd);
            }
        } catch (RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
        UNBOUND.add(fd); // still unbound: good for the next try
        return null;
    }

    private static byte[] address(String name) {
        byte[] raw = name.getBytes(StandardCharsets.US_ASCII);
        byte[] address = new byte[2 + 1 + raw.length];
        address[0] = (byte) LibC.AF_UNIX; // sun_family, little-endian u16
        System.arraycopy(raw, 0, address, 3, raw.length); // sun_path[0] = 0: abstract
        return address;
    }

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

    /** Sleeps between tries for a lease or the lock; an interrupt ends the wait with an exception. */
    static void pause(long micros, String waitingFor) {
        try {
            TimeUnit.MICROSECONDS.sleep(micros);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + waitingFor, e);
        }
    }

    Subnet subnet() {
        return subnet;
    }

    /** Whether this JVM holds a lease on {@code subnet} now. */
    static boolean ownedHere(Subnet subnet) {
        return OWN.contains(subnet);
    }

    /**
     * Unbinds the name, unless a process forked at this moment holds a copy of the fd: the name then stays
     * bound until that child execs or exits (close-on-exec), a few milliseconds.
     */
    @Override
    public synchronized void close() {
        if (fd >= 0) {
            OWN.remove(subnet);
            LibC.close(fd);
            fd = -1;
        }
    }
}
