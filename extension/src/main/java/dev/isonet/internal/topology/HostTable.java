package dev.isonet.internal.topology;

import dev.isonet.internal.netlink.NfTables;
import dev.isonet.internal.ns.HostNamespaces;

/**
 * The host's one nf_tables table for this JVM's networks, shared by all of them: masquerade for what networks
 * send beyond the host, and the rule that confines each network to its own host address. Made with the first
 * network, dropped once the last one is reaped and none has come for a while. It is flagged "owner", so the
 * kernel also drops it when its socket closes, even if the JVM is killed. Sharing it spares each network two
 * base-chain registrations on the host (about a millisecond each).
 */
final class HostTable {
    private static final long LINGER_MILLIS = 1_000;
    private static final String NAME = "isonet-" + ProcessHandle.current().pid();
    private static NfTables socket;
    private static int users;
    private static long lastRelease;

    private HostTable() {}

    static synchronized void acquire() {
        if (socket == null) {
            NfTables opened = HostNamespaces.onHostThread(() -> NfTables.open("host namespace"));
            try {
                RouterRules.hostTable(opened, NAME);
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
            socket = opened;
        }
        users++;
    }

    /** Called by the reaper once a network with NAT is gone from the host. */
    static synchronized void release() {
        users--;
        lastRelease = System.currentTimeMillis();
    }

    /** Called by the reaper as it polls: drops the table when it has been unused long enough. */
    static void dropIfIdle() {
        dropIfUnusedFor(LINGER_MILLIS); // about 10 ms, off any caller's path
    }

    /** Drops the table now if no network uses it, and says whether it did: for tests. */
    static boolean dropNowIfUnused() {
        return dropIfUnusedFor(0);
    }

    /**
     * Deletes the table, then closes its socket, if no network has used it for {@code millis}. Closing alone
     * would drop it too (it is the owner), but not while a process forked at that moment holds a copy of the
     * socket: a network made then would find the table still there and owned by another socket (EPERM).
     */
    private static boolean dropIfUnusedFor(long millis) {
        NfTables owner;
        synchronized (HostTable.class) {
            if (socket == null || users > 0 || System.currentTimeMillis() - lastRelease < millis) {
                return false;
            }
            owner = socket;
            socket = null;
        }
        try {
            owner.batch().tableDel(NfTables.FAMILY_INET, NAME).commit();
        } catch (RuntimeException e) {
            System.getLogger("dev.isonet").log(System.Logger.Level.DEBUG, "isonet: deleting the host table", e);
        } finally {
            owner.close();
        }
        return true;
    }

    static synchronized boolean idle() {
        return socket == null;
    }
}
