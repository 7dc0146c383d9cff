package dev.isonet.internal.netlink;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.isonet.internal.linux.LibC;
import dev.isonet.internal.netlink.Rtnetlink.VethEnd;
import dev.isonet.internal.ns.HostNamespaces;
import dev.isonet.internal.ns.NamespaceFds;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace made for one test (lo up), gone once closed and once the sockets made in it are
 * closed. Java code runs inside on platform threads made for one job each, which end with it: sockets made
 * there stay in the namespace and can be used from any thread afterwards.
 */
final class ScratchNamespace implements AutoCloseable {
    private final NamespaceFds fds;
    private final List<AutoCloseable> owned = new ArrayList<>();

    private ScratchNamespace(NamespaceFds fds) {
        this.fds = fds;
    }

    static void assumeRoot() {
        assumeTrue("root".equals(ProcessHandle.current().info().user().orElse("")),
                "kernel tests need root (CAP_NET_ADMIN, CAP_SYS_ADMIN)");
    }

    static ScratchNamespace create() {
        ScratchNamespace namespace = new ScratchNamespace(HostNamespaces.create(null, fds -> fds));
        try {
            namespace.rtnetlink().apply(Rtnetlink.linkSetUp(1));
            return namespace;
        } catch (RuntimeException e) {
            namespace.close();
            throw e;
        }
    }

    int fd() {
        return fds.net();
    }

    /** Closed with the namespace, in reverse order. */
    <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    private Rtnetlink rtnetlink;

    /** An rtnetlink handle on this namespace, opened inside it and closed with it. */
    synchronized Rtnetlink rtnetlink() {
        if (rtnetlink == null) {
            rtnetlink = own(call(() -> Rtnetlink.open("scratch namespace")));
        }
        return rtnetlink;
    }

    /** Starts {@code job} on a new thread that enters this namespace first; the thread ends with the job. */
    <T> CompletableFuture<T> start(Callable<T> job) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                LibC.setns(fds.net(), LibC.CLONE_NEWNET, "scratch namespace");
                result.complete(job.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "scratch-namespace");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /** Runs {@code job} inside and waits for it. */
    <T> T call(Callable<T> job) {
        try {
            return start(job).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A veth pair between two namespaces, both ends up, with an IPv4 address each (/24); answers the
     * indexes {local, peer}. The peer is created inside its namespace.
     */
    static int[] connect(ScratchNamespace local, String localAddress, ScratchNamespace peer, String peerAddress)
            throws Exception {
        local.rtnetlink().apply(Rtnetlink.linkAddVeth(VethEnd.named("va").index(10),
                VethEnd.named("vb").index(20).in(peer.fd())));
        local.rtnetlink().apply(Rtnetlink.addrAdd(10, InetAddress.getByName(localAddress), 24));
        peer.rtnetlink().apply(Rtnetlink.addrAdd(20, InetAddress.getByName(peerAddress), 24),
                Rtnetlink.linkSetUp(20));
        return new int[] {10, 20};
    }

    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        fds.close();
    }
}
