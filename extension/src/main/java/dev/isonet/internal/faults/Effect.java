package dev.isonet.internal.faults;

import java.util.List;
import java.util.Set;

/**
 * What one fault asks of the router: directed cuts, ports cut from everything (also from nodes that join
 * later), and losses. The router's rules are the union of the effects of every active fault.
 */
public record Effect(Set<Cut> cuts, Set<Integer> isolatedPorts, List<Loss> losses) {
    public static final Effect NONE = new Effect(Set.of(), Set.of(), List.of());

    public Effect {
        cuts = Set.copyOf(cuts);
        isolatedPorts = Set.copyOf(isolatedPorts);
        losses = List.copyOf(losses);
    }

    public static Effect cuts(Set<Cut> cuts) {
        return new Effect(cuts, Set.of(), List.of());
    }

    public static Effect isolated(int port) {
        return new Effect(Set.of(), Set.of(port), List.of());
    }

    public static Effect losses(List<Loss> losses) {
        return new Effect(Set.of(), Set.of(), losses);
    }
}
