package dev.isonet;

import dev.isonet.internal.linux.LinuxException;
import org.apiguardian.api.API;

/**
 * Isonet could not build, change or tear down a network. The message says what was being done, what the
 * kernel answered, and what the user can do about it; the cause, where there is one, is the kernel's error.
 * Misuse (a bad argument, a closed node) throws {@link IllegalArgumentException} or
 * {@link IllegalStateException} instead.
 */
@API(status = API.Status.MAINTAINED, since = "0.1")
public class IsonetException extends RuntimeException {
    /**
     * An exception with this message and no cause.
     *
     * @param message what failed, on which object, and why
     */
    public IsonetException(String message) {
        super(message);
    }

    /**
     * An exception with this message and cause.
     *
     * @param message what failed, on which object, and why
     * @param cause the failure underneath, such as the kernel's error
     */
    public IsonetException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Wraps a failure while {@code doing} something, adding advice for causes that have a known remedy. A misuse
     * (an {@link IllegalArgumentException}) stays one, with what was being done in front of its message.
     */
    static RuntimeException of(String doing, Throwable cause) {
        if (cause instanceof IsonetException isonet) {
            return isonet;
        }
        if (cause instanceof IllegalArgumentException misuse) {
            return new IllegalArgumentException(doing + ": " + misuse.getMessage(), misuse);
        }
        String advice = cause instanceof LinuxException linux ? advice(linux) : null;
        return new IsonetException(doing + ": " + cause.getMessage() + (advice == null ? "" : ". " + advice), cause);
    }

    private static String advice(LinuxException e) {
        String op = e.operation();
        int errno = e.errno();
        boolean unsupported = errno == LinuxException.EOPNOTSUPP || errno == LinuxException.ENOENT
                || errno == 93 /* EPROTONOSUPPORT */ || errno == 97 /* EAFNOSUPPORT */;
        if (errno == LinuxException.EPERM || errno == 13 /* EACCES */) {
            return Privileges.ADVICE;
        }
        if (unsupported && op.equals("add veth")) {
            return "The kernel lacks veth (CONFIG_VETH): load it with 'modprobe veth'";
        }
        if (unsupported && op.equals("add bridge")) {
            return "The kernel lacks bridging (CONFIG_BRIDGE): load it with 'modprobe bridge'";
        }
        if (unsupported && (op.contains("nf_tables") || e.object() != null && e.object().contains("router"))) {
            return "The kernel lacks nf_tables NAT (CONFIG_NF_TABLES, CONFIG_NFT_MASQ): load it with"
                    + " 'modprobe nf_tables nft_masq', or build the network with NAT off";
        }
        if (op.equals("unshare")) {
            return "The kernel lacks network namespaces (CONFIG_NET_NS), or they are disabled for this user";
        }
        return null;
    }
}
