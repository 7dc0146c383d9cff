package dev.isonet.internal.faults;

import dev.isonet.internal.netlink.Request;
import dev.isonet.internal.netlink.TrafficControl;
import dev.isonet.internal.netlink.TrafficControl.Netem;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The qdiscs Isonet puts on the sending end of one link (a veth end): a token bucket for a {@link Rate}, a
 * netem for a {@link Delay} where the kernel has sch_netem, both (netem at the root, the bucket as its child,
 * so that packets are delayed and then paced), or none (the veth's default, noqueue). Without sch_netem
 * delays are not qdiscs (see {@link DelayTable}), and {@code netem} is always null.
 *
 * <p>{@link #changeFrom} gives the requests that turn one shape into another, for one transaction: a change of
 * the same kinds changes the qdiscs in place (queued packets stay); a change of kinds deletes the root and
 * adds the new tree.
 */
public record LinkShape(Rate rate, Delay netem) {
    public static final LinkShape NONE = new LinkShape(null, null);
    /** The netem root's handle (1:) and the bucket's below it (10:, in netem's one class 1:1). */
    static final int NETEM_HANDLE = TrafficControl.handle(1, 0);
    static final int NETEM_CLASS = TrafficControl.handle(1, 1);
    static final int CHILD_HANDLE = TrafficControl.handle(0x10, 0);
    /** netem's queue, in packets: the same bound as the queue of the delay without netem. */
    static final int NETEM_LIMIT = DelayTable.MAX_HELD;

    public boolean isNone() {
        return rate == null && netem == null;
    }

    private boolean sameKinds(LinkShape other) {
        return (rate == null) == (other.rate == null) && (netem == null) == (other.netem == null);
    }

    /**
     * The requests that make link {@code index} (whose MTU is {@code mtu}) go from {@code before} to this
     * shape: none if they are equal. Equivalent to {@code tc qdisc del dev $index root}, then {@code tc qdisc
     * add dev $index root handle 1: netem delay $d $j limit 10000; tc qdisc add dev $index parent 1:1 handle
     * 10: tbf rate … burst … limit …} (or the parts of it this shape has), or to the same with {@code replace}.
     */
    public List<Request> changeFrom(LinkShape before, int index, int mtu) {
        if (equals(before)) {
            return List.of();
        }
        if (isNone()) {
            return List.of(TrafficControl.qdiscDelRoot(index));
        }
        List<Request> requests = new ArrayList<>();
        boolean inPlace = sameKinds(before);
        if (!inPlace && !before.isNone()) {
            requests.add(TrafficControl.qdiscDelRoot(index));
        }
        if (netem != null) {
            Netem qdisc = new Netem(netem.delay(), netem.jitter(), 0, 0, NETEM_LIMIT);
            requests.add(inPlace ? TrafficControl.qdiscReplaceNetem(index, NETEM_HANDLE, qdisc)
                    : TrafficControl.qdiscAddNetem(index, NETEM_HANDLE, qdisc));
            if (rate != null) {
                requests.add(inPlace
                        ? TrafficControl.qdiscReplaceTbf(index, NETEM_CLASS, CHILD_HANDLE, rate.tbf(mtu))
                        : TrafficControl.qdiscAddTbf(index, NETEM_CLASS, CHILD_HANDLE, rate.tbf(mtu)));
            }
        } else {
            requests.add(inPlace ? TrafficControl.qdiscReplaceTbf(index, rate.tbf(mtu))
                    : TrafficControl.qdiscAddTbf(index, rate.tbf(mtu)));
        }
        return requests;
    }

    @Override
    public String toString() {
        return isNone() ? "none" : Objects.toString(rate == null ? null : rate.text(), "no rate") + ", "
                + (netem == null ? "no netem" : "netem " + netem.text());
    }
}
