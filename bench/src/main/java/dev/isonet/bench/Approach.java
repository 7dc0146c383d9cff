package dev.isonet.bench;

/** One way to build and tear down a network of N nodes: Isonet, or one of the shell-out baselines. */
interface Approach {
    /** Short name for the table and the chart legend. */
    String name();

    /** Builds a network of {@code nodes} nodes, tears it down and waits until the kernel removed it. */
    Sample once(int nodes) throws Exception;

    /**
     * Times of one round, in ms: setup until the network is ready, teardown as the caller sees it, and
     * teardown until the host has lost every trace (measured from the start of teardown).
     */
    record Sample(double setupMs, double teardownMs, double reapedMs, int processes) {
        double setupAndTeardownMs() {
            return setupMs + teardownMs;
        }
    }
}
