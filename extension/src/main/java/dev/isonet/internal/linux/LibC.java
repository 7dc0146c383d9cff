package dev.isonet.internal.linux;

import java.nio.charset.StandardCharsets;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Variadic;

/**
 * The only class that calls libc. Every wrapper retries EINTR and turns a failure into a
 * {@link LinuxException} naming the call and its object, so raw return codes never leave this class.
 */
public final class LibC {
    public static final int AF_UNIX = 1;
    public static final int AF_NETLINK = 16;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_RCVTIMEO = 20;
    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_CAP_ACK = 10;
    public static final int NETLINK_EXT_ACK = 11;
    public static final int CLONE_FS = 0x00000200;
    public static final int CLONE_NEWNS = 0x00020000;
    public static final int CLONE_NEWUTS = 0x04000000;
    public static final int CLONE_NEWNET = 0x40000000;
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_DIRECTORY = 0x10000;
    /** An fd that only names a file (for *at calls and /proc/self/fd paths), without opening it for I/O. */
    public static final int O_PATH = 0x200000;
    /** openat2: resolve as if the directory fd were the root (absolute symlinks and ".." stay inside). */
    public static final long RESOLVE_IN_ROOT = 0x10;
    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    public static final long MS_REMOUNT = 32;
    public static final long MS_BIND = 4096;
    public static final long MS_REC = 16384;
    public static final long MS_PRIVATE = 1 << 18;
    public static final long MS_SLAVE = 1 << 19;
    public static final int MNT_DETACH = 2;
    public static final int MFD_CLOEXEC = 1;
    public static final int AF_PACKET = 17;
    /** Every protocol, in network byte order as socket(2) and sockaddr_ll want it: htons(ETH_P_ALL). */
    public static final int ETH_P_ALL_BE = Short.toUnsignedInt(Short.reverseBytes((short) 0x0003));
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOL_PACKET = 263;
    public static final short POLLIN = 1;
    public static final short POLLERR = 8;
    private static final int SO_ATTACH_FILTER = 26;
    private static final int PACKET_STATISTICS = 6;
    private static final int EFD_CLOEXEC = 0x80000;
    private static final int EFD_NONBLOCK = 0x800;

    private static final int EINTR = 4;
    private static final int ENOSYS = 38;
    private static final boolean AARCH64 = System.getProperty("os.arch").equals("aarch64");
    /** x86_64 and aarch64 (asm-generic) numbers; openat2 is 437 on both. */
    private static final long SYS_PIVOT_ROOT = AARCH64 ? 41 : 155;
    private static final long SYS_OPENAT2 = 437;

    /**
     * The raw binding. jnr-ffi implements it in a class loader of its own, so the JVM makes it public; only
     * this class holds an instance, so nothing else can reach libc.
     */
    @SaveError
    public interface Raw {
        int socket(int domain, int type, int protocol);

        int bind(int fd, @In byte[] address, int length);

        int setsockopt(int fd, int level, int name, @In byte[] value, int length);

        long send(int fd, @In byte[] buffer, long length, int flags);

        long recv(int fd, @Out byte[] buffer, long length, int flags);

        int getsockopt(int fd, int level, int name, @Out byte[] value, @In @Out int[] length);

        int setsockopt(int fd, int level, int name, jnr.ffi.Pointer value, int length);

        int poll(@In @Out byte[] fds, long count, int timeoutMillis);

        int eventfd(int initial, int flags);

        long read(int fd, @Out byte[] buffer, long length);

        long write(int fd, @In byte[] buffer, long length);

        int isatty(int fd);

        jnr.ffi.Pointer mmap(jnr.ffi.Pointer address, @jnr.ffi.types.size_t long length, int protection, int flags,
                             int fd, @jnr.ffi.types.off_t long offset);

        int munmap(jnr.ffi.Pointer address, @jnr.ffi.types.size_t long length);

        int close(int fd);

        int open(String path, int flags);

        int setns(int fd, int nstype);

        int unshare(int flags);

        int sethostname(@In byte[] name, long length);

        int gettid();

        int mount(String source, String target, String type, long flags, String data);

        int umount2(String target, int flags);

        int fchdir(int fd);

        int chdir(String path);

        int openat(int dirfd, String path, int flags);

        /** pivot_root has no glibc wrapper. */
        @Variadic(fixedCount = 1)
        long syscall(long number, String newRoot, String putOld);

        /** openat2 has no glibc wrapper either; {@code how} is a struct open_how. */
        @Variadic(fixedCount = 1)
        long syscall(long number, int dirfd, String path, @In byte[] how, long size);

        int memfd_create(String name, int flags);

        String strerror(int errno);
    }

    private static final Raw RAW = LibraryLoader.create(Raw.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(RAW);
    /**
     * Native memory for socket filters ({@link #attachFilter}), allocated once, here: jnr-ffi starts a thread of
     * its own on the first such allocation, which must be born in the JVM's namespaces. Nothing has left them
     * before this class loads, since only this class calls setns.
     */
    private static final int FILTER_MEMORY = 1024;
    private static final jnr.ffi.Pointer FILTER = jnr.ffi.Memory.allocateDirect(RUNTIME, FILTER_MEMORY, true);

    private LibC() {}

    private static int errno() {
        return RUNTIME.getLastError();
    }

    private static LinuxException failure(String call, String object) {
        return new LinuxException(call, object, errno(), null);
    }

    public static String strerror(int errno) {
        return RAW.strerror(errno);
    }

    public static int socket(int domain, int type, int protocol, String what) {
        int fd = RAW.socket(domain, type, protocol);
        if (fd < 0) {
            throw failure("socket", what);
        }
        return fd;
    }

    public static void bind(int fd, byte[] address, String what) {
        if (RAW.bind(fd, address, address.length) < 0) {
            throw failure("bind", what);
        }
    }

    /** Like {@link #bind} but answers false on EADDRINUSE, the one failure a lock expects. */
    public static boolean tryBind(int fd, byte[] address, String what) {
        if (RAW.bind(fd, address, address.length) == 0) {
            return true;
        }
        int errno = errno();
        if (errno == LinuxException.EADDRINUSE) {
            return false;
        }
        throw new LinuxException("bind", what, errno, null);
    }

    public static void setsockopt(int fd, int level, int name, byte[] value, String what) {
        if (RAW.setsockopt(fd, level, name, value, value.length) < 0) {
            throw failure("setsockopt(" + name + ")", what);
        }
    }

    public static void send(int fd, byte[] buffer, int length, String what) {
        while (true) {
            long sent = RAW.send(fd, buffer, length, 0);
            if (sent >= 0) {
                if (sent != length) {
                    throw new IllegalStateException("short send on " + what + ": " + sent + " of " + length);
                }
                return;
            }
            if (errno() != EINTR) {
                throw failure("send", what);
            }
        }
    }

    /** Receives one datagram; a receive timeout surfaces as EAGAIN. */
    public static int recv(int fd, byte[] buffer, String what) {
        while (true) {
            long got = RAW.recv(fd, buffer, buffer.length, 0);
            if (got >= 0) {
                return (int) got;
            }
            if (errno() != EINTR) {
                throw failure("recv", what);
            }
        }
    }

    /** Closes quietly: close(2) must not be retried on EINTR, and a failed close leaves nothing to do. */
    public static void close(int fd) {
        if (fd >= 0) {
            RAW.close(fd);
        }
    }

    public static int open(String path, int flags) {
        while (true) {
            int fd = RAW.open(path, flags);
            if (fd >= 0) {
                return fd;
            }
            if (errno() != EINTR) {
                throw failure("open", path);
            }
        }
    }

    public static void setns(int fd, int nstype, String what) {
        if (RAW.setns(fd, nstype) < 0) {
            throw failure("setns", what);
        }
    }

    public static void unshare(int flags, String what) {
        if (RAW.unshare(flags) < 0) {
            throw failure("unshare", what);
        }
    }

    public static void sethostname(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (RAW.sethostname(bytes, bytes.length) < 0) {
            throw failure("sethostname", name);
        }
    }

    /** Equivalent to: {@code mount [-t type] [-o data] source target} with {@code flags} (MS_*). */
    public static void mount(String source, String target, String type, long flags, String data) {
        if (RAW.mount(source, target, type, flags, data) < 0) {
            throw failure("mount", (source == null ? "" : source + " on ") + target
                    + (type == null ? "" : " (" + type + ")"));
        }
    }

    /** Equivalent to: {@code umount [-l] target}. */
    public static void umount2(String target, int flags) {
        if (RAW.umount2(target, flags) < 0) {
            throw failure("umount", target);
        }
    }

    public static void fchdir(int fd, String what) {
        if (RAW.fchdir(fd) < 0) {
            throw failure("fchdir", what);
        }
    }

    public static void chdir(String path) {
        if (RAW.chdir(path) < 0) {
            throw failure("chdir", path);
        }
    }

    /** Opens {@code path} relative to the directory {@code dirfd}. */
    public static int openat(int dirfd, String path, int flags) {
        while (true) {
            int fd = RAW.openat(dirfd, path, flags);
            if (fd >= 0) {
                return fd;
            }
            if (errno() != EINTR) {
                throw failure("open", path);
            }
        }
    }

    /**
     * Makes {@code newRoot} the root of the calling thread's mount namespace and puts the old root on
     * {@code putOld}. Equivalent to: {@code pivot_root new_root put_old}.
     */
    public static void pivotRoot(String newRoot, String putOld) {
        if (RAW.syscall(SYS_PIVOT_ROOT, newRoot, putOld) < 0) {
            throw failure("pivot_root", newRoot);
        }
    }

    /**
     * Opens {@code path} (O_PATH) as if {@code rootFd} were the root: symlinks and ".." cannot leave it. Returns
     * the fd; -1 where the kernel has no openat2 (before 5.6). Throws with ENOENT, ENOTDIR or ELOOP when
     * nothing is there.
     */
    public static int openInRoot(int rootFd, String path) {
        byte[] how = java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.nativeOrder())
                .putLong(O_PATH | O_CLOEXEC).putLong(0).putLong(RESOLVE_IN_ROOT).array();
        while (true) {
            long fd = RAW.syscall(SYS_OPENAT2, rootFd, path, how, how.length);
            if (fd >= 0) {
                return (int) fd;
            }
            int errno = errno();
            if (errno == ENOSYS) {
                return -1;
            }
            if (errno != EINTR) {
                throw new LinuxException("open", path, errno, null);
            }
        }
    }

    /** An anonymous in-memory file: it lives while an fd or a mount refers to it, and is never on disk. */
    public static int memfdCreate(String name) {
        int fd = RAW.memfd_create(name, MFD_CLOEXEC);
        if (fd < 0) {
            throw failure("memfd_create", name);
        }
        return fd;
    }

    /**
     * Attaches a classic BPF program (struct sock_filter entries, 8 bytes each, in host byte order) to a socket:
     * the kernel runs it on each packet and keeps as many bytes as it returns (0: none). Equivalent to:
     * {@code setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &(struct sock_fprog){...})}.
     */
    public static void attachFilter(int fd, byte[] program, String what) {
        if (program.length + 16 > FILTER_MEMORY) {
            throw new IllegalArgumentException("a socket filter of " + program.length / 8 + " instructions is too long");
        }
        synchronized (FILTER) {
            // struct sock_fprog at 0: unsigned short len; (padding); struct sock_filter *filter (at 16)
            FILTER.put(16, program, 0, program.length);
            FILTER.putShort(0, (short) (program.length / 8));
            FILTER.putAddress(8, FILTER.address() + 16);
            if (RAW.setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, FILTER, 16) < 0) { // the kernel copies it
                throw failure("setsockopt(SO_ATTACH_FILTER)", what);
            }
        }
    }

    /**
     * A packet socket's counters since the previous call (the kernel resets them on each read): {packets
     * received, packets dropped because the socket's queue was full}. Equivalent to:
     * {@code getsockopt(fd, SOL_PACKET, PACKET_STATISTICS)}.
     */
    public static long[] packetStatistics(int fd, String what) {
        byte[] stats = new byte[8];
        int[] length = {stats.length};
        if (RAW.getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, stats, length) < 0) {
            throw failure("getsockopt(PACKET_STATISTICS)", what);
        }
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(stats).order(java.nio.ByteOrder.nativeOrder());
        return new long[] {Integer.toUnsignedLong(buffer.getInt(0)), Integer.toUnsignedLong(buffer.getInt(4))};
    }

    /**
     * Waits until one of the fds in {@code pollfds} (struct pollfd entries of 8 bytes: int fd, short events,
     * short revents, in host byte order) is ready, at most {@code timeoutMillis} (-1: no limit). Returns how many
     * are; their revents are filled in. An EINTR counts as none ready.
     */
    public static int poll(byte[] pollfds, int timeoutMillis, String what) {
        int ready = RAW.poll(pollfds, pollfds.length / 8, timeoutMillis);
        if (ready >= 0) {
            return ready;
        }
        if (errno() == EINTR) {
            return 0;
        }
        throw failure("poll", what);
    }

    /** A non-blocking eventfd, to wake a thread that waits in {@link #poll}. Equivalent to: {@code eventfd(0, ...)}. */
    public static int eventfd(String what) {
        int fd = RAW.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (fd < 0) {
            throw failure("eventfd", what);
        }
        return fd;
    }

    /** Adds one to an eventfd's counter: whoever polls it wakes up. */
    public static void eventfdSignal(int fd) {
        byte[] one = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder()).putLong(1).array();
        RAW.write(fd, one, one.length); // it can only fail on overflow, when a wake-up is pending anyway
    }

    /** Resets an eventfd's counter after a wake-up. */
    public static void eventfdClear(int fd) {
        RAW.read(fd, new byte[8], 8); // EAGAIN when it was already clear: nothing to do
    }

    /**
     * Maps {@code length} bytes of what {@code fd} offers (a packet socket's receive ring) into memory, shared
     * with the kernel, readable and writable. Equivalent to: {@code mmap(NULL, length, PROT_READ | PROT_WRITE,
     * MAP_SHARED, fd, 0)}.
     */
    public static SharedMemory mmap(int fd, long length, String what) {
        jnr.ffi.Pointer memory = RAW.mmap(null, length, 3 /* PROT_READ | PROT_WRITE */, 1 /* MAP_SHARED */, fd, 0);
        if (memory == null || memory.address() == -1) {
            throw failure("mmap", what);
        }
        return new SharedMemory(memory, length);
    }

    static void munmap(jnr.ffi.Pointer memory, long length) {
        RAW.munmap(memory, length); // fails only for a bad address, which a SharedMemory never has
    }

    /** Whether {@code fd} is a terminal, as isatty(3) says. */
    public static boolean isatty(int fd) {
        return RAW.isatty(fd) == 1;
    }

    public static int gettid() {
        return RAW.gettid();
    }
}
