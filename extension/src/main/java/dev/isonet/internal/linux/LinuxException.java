package dev.isonet.internal.linux;

/**
 * A failed system call or kernel request: what was done, to which object, the errno and, where the kernel
 * gave one, its extended-ack text.
 */
public final class LinuxException extends RuntimeException {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EAGAIN = 11;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int EADDRINUSE = 98;
    public static final int EOPNOTSUPP = 95;

    private final String operation;
    private final String object;
    private final int errno;
    private final String kernelMessage;

    public LinuxException(String operation, String object, int errno, String kernelMessage) {
        super(describe(operation, object, errno, kernelMessage));
        this.operation = operation;
        this.object = object;
        this.errno = errno;
        this.kernelMessage = kernelMessage;
    }

    private static String describe(String operation, String object, int errno, String kernelMessage) {
        StringBuilder text = new StringBuilder(operation);
        if (object != null && !object.isEmpty()) {
            text.append(' ').append(object);
        }
        text.append(" failed: ").append(Errno.name(errno)).append(" (").append(LibC.strerror(errno)).append(')');
        if (kernelMessage != null && !kernelMessage.isEmpty()) {
            text.append("; kernel says: ").append(kernelMessage);
        }
        if (errno == EPERM) {
            text.append(epermAdvice(Capabilities.effective()));
        }
        return text.toString();
    }

    /** What an EPERM means for a process with capability set {@code effective}. */
    static String epermAdvice(long effective) {
        return Capabilities.has(effective, Capabilities.CAP_NET_ADMIN)
                && Capabilities.has(effective, Capabilities.CAP_SYS_ADMIN)
                    ? ". This process has CAP_NET_ADMIN and CAP_SYS_ADMIN, so the kernel refused for another reason"
                            + " (an object that another socket or process owns, a security module, a seccomp filter)"
                    : ". Isonet needs root, or CAP_NET_ADMIN and CAP_SYS_ADMIN";
    }

    public String operation() { return operation; }

    public String object() { return object; }

    public int errno() { return errno; }

    public String errnoName() { return Errno.name(errno); }

    /** The kernel's extended-ack text, or null. */
    public String kernelMessage() { return kernelMessage; }
}
