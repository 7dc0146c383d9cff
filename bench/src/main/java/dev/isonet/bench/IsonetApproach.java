package dev.isonet.bench;

import dev.isonet.Network;
import java.util.concurrent.TimeUnit;

/** Isonet itself: {@code Network.builder().nat(true).node(...).build()}, {@code close()}, {@code reaped()}. */
final class IsonetApproach implements Approach {
    @Override
    public String name() {
        return "isonet";
    }

    @Override
    public Sample once(int nodes) throws Exception {
        String[] names = names(nodes);
        long start = System.nanoTime();
        Network network = Network.builder().nat(true).node(names).build();
        long ready = System.nanoTime();
        network.close();
        long closed = System.nanoTime();
        network.reaped().get(30, TimeUnit.SECONDS);
        long reaped = System.nanoTime();
        return new Sample((ready - start) / 1e6, (closed - ready) / 1e6, (reaped - ready) / 1e6, 0);
    }

    static String[] names(int nodes) {
        String[] names = new String[nodes];
        for (int i = 0; i < nodes; i++) {
            names[i] = "n" + i;
        }
        return names;
    }
}
