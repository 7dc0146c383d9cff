package dev.isonet.internal.topology;

/**
 * What of this JVM's closed networks the kernel is still reaping: routers being destroyed (until their host link
 * is gone), and node namespaces whose bridge port is still on a live router. Kept routers are not counted: they
 * are waiting for a network, not being reaped. For the benchmark's sustained loops; it dumps every live
 * router's links, so it is not for a hot path.
 */
public final class Reaping {
    private Reaping() {}

    /** Routers being destroyed, and node namespaces not yet reaped. */
    public record Count(int routers, int nodes) {
        public boolean none() {
            return routers == 0 && nodes == 0;
        }
    }

    public static Count now() {
        int nodes = 0;
        for (Router router : IdleRouters.live()) {
            try {
                nodes += router.portsBeingReaped();
            } catch (RuntimeException e) {
                // destroyed meanwhile: counted with the routers
            }
        }
        return new Count(Reaper.pending(), nodes);
    }
}
