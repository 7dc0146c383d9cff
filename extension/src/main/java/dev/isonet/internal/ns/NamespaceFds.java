package dev.isonet.internal.ns;

import dev.isonet.internal.linux.LibC;

/** A network namespace fd and, for nodes, a UTS namespace fd (-1 when there is none). */
public record NamespaceFds(int net, int uts) {
    /** Enters both namespaces; only for threads dedicated to them. */
    void enter(String what) {
        LibC.setns(net, LibC.CLONE_NEWNET, "network namespace of " + what);
        if (uts >= 0) {
            LibC.setns(uts, LibC.CLONE_NEWUTS, "UTS namespace of " + what);
        }
    }

    /** Closing the last reference lets the kernel reap the namespace, asynchronously. */
    public void close() {
        LibC.close(net);
        LibC.close(uts);
    }
}
