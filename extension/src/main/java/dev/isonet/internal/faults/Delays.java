package dev.isonet.internal.faults;

import dev.isonet.internal.netlink.NfQueue;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The delays of one network at one moment, as the queue readers apply them without netem: the egress delay
 * of each sending node (by its MAC), the ingress delay of each node (by its key), and the outside's two
 * directions (null: none). Immutable; a change replaces the whole.
 */
public record Delays(Map<Long, Delay> senders, Map<Object, Delay> ingress, Delay uplinkIn, Delay uplinkOut) {
    public static final Delays NONE = new Delays(Map.of(), Map.of(), null, null);

    public Delays {
        senders = Map.copyOf(senders);
        // Keys are nodes, compared by identity: a node closed and another made with its name are two nodes.
        IdentityHashMap<Object, Delay> copy = new IdentityHashMap<>(ingress);
        ingress = java.util.Collections.unmodifiableMap(copy);
    }

    /** Which queue a reader serves: a node's (with its key), or the router's (with the uplink's index). */
    public sealed interface Role {
        record Node(Object key) implements Role {}

        record Router(int uplink) implements Role {}
    }

    /** How long {@code packet}, queued in the namespace of {@code role}, is held: 0 for not at all. */
    public long nanos(Role role, NfQueue.Packet packet, RandomGenerator random) {
        if (role instanceof Role.Node node) {
            return sample(senders.get(DelayTable.mac(packet.hwAddress())), random)
                    + sample(ingress.get(node.key()), random);
        }
        Role.Router router = (Role.Router) role;
        if (packet.hook() == NfQueue.NF_INET_POST_ROUTING) {
            return sample(uplinkOut, random);
        }
        if (packet.inIndex() == router.uplink()) {
            return sample(uplinkIn, random);
        }
        return sample(senders.get(DelayTable.mac(packet.hwAddress())), random);
    }

    private static long sample(Delay delay, RandomGenerator random) {
        return delay == null ? 0 : delay.sample(random);
    }
}
