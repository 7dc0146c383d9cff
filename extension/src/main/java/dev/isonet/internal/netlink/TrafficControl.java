package dev.isonet.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Queueing disciplines over rtnetlink (linux/pkt_sched.h): the requests that {@code tc} sends, built here and
 * applied with {@link Rtnetlink#apply}. Rates are in bytes per second, as the kernel counts them.
 *
 * <p>Unlike {@code tc}, no rate table (TCA_*_RTAB, 1 KiB each) is sent: the rate specs say
 * TC_LINKLAYER_ETHERNET, and the kernel then computes transmission times from the rate itself
 * (psched_ratecfg_precompute); it reads a rate table only to learn the link layer of a spec that does not
 * say. Everything else is what iproute2 6.1 sends for the same command.
 */
public final class TrafficControl {
    static final int RTM_NEWQDISC = 36;
    static final int RTM_DELQDISC = 37;
    static final int RTM_GETQDISC = 38;
    static final int RTM_NEWTCLASS = 40;
    static final int TCA_KIND = 1;
    static final int TCA_OPTIONS = 2;
    static final int TCA_TBF_PARMS = 1;
    static final int TCA_TBF_RATE64 = 4;
    static final int TCA_TBF_BURST = 6;
    static final int TCA_HTB_PARMS = 1;
    static final int TCA_HTB_INIT = 2;
    static final int TCA_HTB_RATE64 = 6;
    static final int TCA_HTB_CEIL64 = 7;
    static final int TC_H_ROOT = 0xffffffff;
    static final int TC_LINKLAYER_ETHERNET = 1;
    static final int HTB_VERSION = 3;
    static final int HTB_RATE_TO_QUANTUM = 10;
    static final int NETEM_DEFAULT_LIMIT = 1000;
    private static final int NLM_F_REPLACE = 0x100;
    private static final int ADD = NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK
            | NetlinkMessage.NLM_F_CREATE | NetlinkMessage.NLM_F_EXCL;
    private static final int REPLACE = NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK
            | NetlinkMessage.NLM_F_CREATE | NLM_F_REPLACE;
    private static final int CHANGE = NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK;
    /** tc's cell_log for its default MTUs (2047 for tbf, 1600 for htb): both give 3. */
    private static final int CELL_LOG = 3;
    /** psched ticks per microsecond: the kernel's tick is 64 ns (PSCHED_SHIFT 6), /proc/net/psched. */
    private static final double TICKS_PER_MICROSECOND = 1000.0 / 64;
    private static final long U32_MAX = 0xffffffffL;

    private TrafficControl() {}

    /** A qdisc handle or class id, {@code major:minor} as tc writes it (in hex: {@code 1:10} is 1, 0x10). */
    public static int handle(int major, int minor) {
        return (major << 16) | (minor & 0xffff);
    }

    /**
     * A token bucket: {@code rate} in bytes per second (above 4 GiB/s it goes in TCA_TBF_RATE64),
     * {@code burst} the bucket in bytes, {@code limit} the bytes that may wait in the queue behind it (more
     * are dropped). The kernel accepts a burst smaller than a frame (MTU + 14) with a warning in its log,
     * then drops every packet longer than the burst: keep it at least that large.
     */
    public record Tbf(long rate, int burst, int limit) {
        public Tbf {
            if (rate <= 0 || burst <= 0 || limit <= 0) {
                throw new IllegalArgumentException("tbf needs a positive rate, burst and limit, not " + rate
                        + " B/s, " + burst + " B, " + limit + " B");
            }
        }
    }

    /**
     * Equivalent to: {@code tc qdisc add dev $index root tbf rate ${rate}bps burst $burst limit $limit}.
     */
    public static Request qdiscAddTbf(int index, Tbf tbf) {
        return new Request("add qdisc tbf " + tbf, "root of link " + index, tbf(ADD, index, 0, TC_H_ROOT, tbf));
    }

    /**
     * Equivalent to: {@code tc qdisc add dev $index parent $parent handle $handle tbf rate ${rate}bps burst
     * $burst limit $limit}: a token bucket below another qdisc, such as netem's one class ({@code 1:1}).
     */
    public static Request qdiscAddTbf(int index, int parent, int handle, Tbf tbf) {
        return new Request("add qdisc tbf " + tbf, name(parent) + " of link " + index,
                tbf(ADD, index, handle, parent, tbf));
    }

    /** Equivalent to: {@code tc qdisc replace dev $index parent $parent handle $handle tbf …}. */
    public static Request qdiscReplaceTbf(int index, int parent, int handle, Tbf tbf) {
        return new Request("replace qdisc with tbf " + tbf, name(parent) + " of link " + index,
                tbf(REPLACE, index, handle, parent, tbf));
    }

    /**
     * Equivalent to: {@code tc qdisc replace dev $index root tbf rate ${rate}bps burst $burst limit $limit}:
     * whatever root qdisc the link had is replaced, or a new one is added.
     */
    public static Request qdiscReplaceTbf(int index, Tbf tbf) {
        return new Request("replace qdisc with tbf " + tbf, "root of link " + index,
                tbf(REPLACE, index, 0, TC_H_ROOT, tbf));
    }

    private static String name(int parent) {
        return parent == TC_H_ROOT ? "root" : "class " + Integer.toHexString(parent >>> 16) + ":"
                + Integer.toHexString(parent & 0xffff);
    }

    private static NetlinkMessage tbf(int flags, int index, int handle, int parent, Tbf tbf) {
        long rate32 = Math.min(tbf.rate(), U32_MAX);
        NetlinkMessage m = tcmsg(RTM_NEWQDISC, flags, index, handle, parent).attrString(TCA_KIND, "tbf");
        m.attr(TCA_OPTIONS, attributes(o -> {
            o.attr(TCA_TBF_PARMS, struct(36, b -> {
                rateSpec(b, rate32);
                b.put(new byte[12]);                                  // peakrate: none
                b.putInt(tbf.limit());
                b.putInt((int) ticks(rate32, tbf.burst()));           // buffer (tc computes it from the 32-bit rate)
                b.putInt(0);                                          // mtu: only with a peak rate
            }));
            o.attrU32(TCA_TBF_BURST, tbf.burst());                    // the kernel sizes the bucket from this
            if (tbf.rate() > U32_MAX) {
                o.attr(TCA_TBF_RATE64, u64(tbf.rate()));
            }
        }));
        return m;
    }

    /**
     * Equivalent to: {@code tc qdisc add dev $index root handle $handle htb default $defaultClass}. Traffic
     * that no filter classifies goes to class {@code major:defaultClass}, so with no filters at all the
     * default class shapes everything.
     */
    public static Request qdiscAddHtb(int index, int handle, int defaultClass) {
        NetlinkMessage m = tcmsg(RTM_NEWQDISC, ADD, index, handle, TC_H_ROOT).attrString(TCA_KIND, "htb");
        m.attr(TCA_OPTIONS, attributes(o -> o.attr(TCA_HTB_INIT, struct(20, b -> b
                .putInt(HTB_VERSION).putInt(HTB_RATE_TO_QUANTUM).putInt(defaultClass).putInt(0).putInt(0)))));
        return new Request("add qdisc htb default " + Integer.toHexString(defaultClass), "root of link " + index, m);
    }

    /**
     * Equivalent to: {@code tc class add dev $index parent $major: classid $major:$minor htb rate ${rate}bps
     * ceil ${ceil}bps burst $burst cburst $cburst}, in bytes per second and bytes. tc's default burst is
     * 1600 bytes (its MTU) at the rates tests use.
     */
    public static Request classAddHtb(int index, int classId, long rate, long ceil, int burst, int cburst) {
        if (rate <= 0 || ceil < rate || burst <= 0 || cburst <= 0) {
            throw new IllegalArgumentException("htb class needs 0 < rate <= ceil and positive bursts, not rate "
                    + rate + " ceil " + ceil + " burst " + burst + " cburst " + cburst);
        }
        NetlinkMessage m = tcmsg(RTM_NEWTCLASS, ADD, index, classId, classId & 0xffff0000)
                .attrString(TCA_KIND, "htb");
        m.attr(TCA_OPTIONS, attributes(o -> {
            if (rate > U32_MAX) {
                o.attr(TCA_HTB_RATE64, u64(rate));
            }
            if (ceil > U32_MAX) {
                o.attr(TCA_HTB_CEIL64, u64(ceil));
            }
            o.attr(TCA_HTB_PARMS, struct(44, b -> {
                rateSpec(b, Math.min(rate, U32_MAX));
                rateSpec(b, Math.min(ceil, U32_MAX));
                b.putInt((int) ticks(rate, burst));                   // buffer (tc: from the 64-bit rate)
                b.putInt((int) ticks(ceil, cburst));                  // cbuffer
                b.putInt(0).putInt(0).putInt(0);                      // quantum (from r2q), level, prio
            }));
        }));
        return new Request("add class htb rate " + rate + " B/s ceil " + ceil + " B/s",
                Integer.toHexString(classId >>> 16) + ":" + Integer.toHexString(classId & 0xffff) + " on link "
                        + index, m);
    }

    /**
     * Network emulation: a fixed {@code delay} plus a random {@code jitter} (uniform, without correlation),
     * {@code loss} and {@code duplicate} in percent, and at most {@code limit} packets held.
     */
    public record Netem(Duration delay, Duration jitter, double loss, double duplicate, int limit) {
        public Netem {
            for (Duration d : new Duration[] {delay, jitter}) {
                if (d.isNegative() || ticks(d) > U32_MAX) {
                    throw new IllegalArgumentException("netem delay and jitter must be within 0 and 274 s, not "
                            + d);
                }
            }
            if (!(loss >= 0 && loss <= 100) || !(duplicate >= 0 && duplicate <= 100) || limit <= 0) {
                throw new IllegalArgumentException("netem loss and duplicate are percentages (0 to 100) and the"
                        + " limit positive, not loss " + loss + " duplicate " + duplicate + " limit " + limit);
            }
        }

        public static Netem delay(Duration delay, Duration jitter) {
            return new Netem(delay, jitter, 0, 0, NETEM_DEFAULT_LIMIT);
        }

        public Netem loss(double percent) {
            return new Netem(delay, jitter, percent, duplicate, limit);
        }

        public Netem duplicate(double percent) {
            return new Netem(delay, jitter, loss, percent, limit);
        }

        private static long ticks(Duration d) {
            return (long) (d.toNanos() / 1000 * TICKS_PER_MICROSECOND);
        }
    }

    /**
     * Equivalent to: {@code tc qdisc add dev $index root netem delay $delay $jitter loss $loss% duplicate
     * $duplicate% limit $limit}. Kernels without sch_netem refuse it with ENOENT ("Specified qdisc kind is
     * unknown").
     */
    public static Request qdiscAddNetem(int index, Netem netem) {
        return new Request("add qdisc netem " + netem, "root of link " + index, netem(ADD, index, 0, netem));
    }

    /**
     * Equivalent to: {@code tc qdisc add dev $index root handle $handle netem delay $delay $jitter …}: with a
     * handle, so that a qdisc can be added below it (at class {@code $major:1}).
     */
    public static Request qdiscAddNetem(int index, int handle, Netem netem) {
        return new Request("add qdisc netem " + netem, "root of link " + index, netem(ADD, index, handle, netem));
    }

    /**
     * Equivalent to: {@code tc qdisc replace dev $index root handle $handle netem …}: a netem root with that
     * handle is changed in place (its packets and its child stay); any other root is replaced.
     */
    public static Request qdiscReplaceNetem(int index, int handle, Netem netem) {
        return new Request("replace qdisc with netem " + netem, "root of link " + index,
                netem(REPLACE, index, handle, netem));
    }

    private static NetlinkMessage netem(int flags, int index, int handle, Netem netem) {
        NetlinkMessage m = tcmsg(RTM_NEWQDISC, flags, index, handle, TC_H_ROOT).attrString(TCA_KIND, "netem");
        // TCA_OPTIONS of netem starts with struct tc_netem_qopt; optional attributes would follow it.
        m.attr(TCA_OPTIONS, struct(24, b -> b
                .putInt((int) Netem.ticks(netem.delay()))
                .putInt(netem.limit())
                .putInt((int) probability(netem.loss()))
                .putInt(0)                                            // gap: no reordering
                .putInt((int) probability(netem.duplicate()))
                .putInt((int) Netem.ticks(netem.jitter()))));
        return m;
    }

    /**
     * Equivalent to: {@code tc qdisc del dev $index root}. The link falls back to its default qdisc; deleting
     * where there is none fails with ENOENT.
     */
    public static Request qdiscDelRoot(int index) {
        return new Request("delete root qdisc", "of link " + index, tcmsg(RTM_DELQDISC, CHANGE, index, 0, TC_H_ROOT));
    }

    /** A qdisc as {@code tc qdisc show} lists it; {@code tbf} holds a TBF's settings read back, else null. */
    public record Qdisc(int index, int handle, int parent, String kind, Tbf tbf) {
        public boolean isRoot() {
            return parent == TC_H_ROOT;
        }
    }

    /** The dump request of {@code tc qdisc show}: a tcmsg of zeros, for every link. */
    static NetlinkMessage qdiscDumpRequest() {
        return tcmsg(RTM_GETQDISC, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_DUMP, 0, 0, 0);
    }

    /** An RTM_NEWQDISC message as a {@link Qdisc}; a TBF's burst is derived from its buffer, as tc shows it. */
    static Qdisc qdisc(Reply reply) {
        Attributes a = reply.attributes(20);
        String kind = a.string(TCA_KIND);
        Tbf tbf = null;
        if ("tbf".equals(kind)) {
            Attributes options = a.nested(TCA_OPTIONS);
            byte[] parms = options.bytes(TCA_TBF_PARMS);
            if (parms != null) {
                ByteBuffer b = ByteBuffer.wrap(parms).order(ByteOrder.nativeOrder());
                long rate = options.u64(TCA_TBF_RATE64, b.getInt(8) & U32_MAX);
                int limit = b.getInt(24);
                long bufferNanos = (b.getInt(28) & U32_MAX) * 64;
                tbf = new Tbf(rate, (int) Math.round(bufferNanos * (double) rate / 1e9), limit);
            }
        }
        return new Qdisc(reply.headerU32(4), reply.headerU32(8), reply.headerU32(12), kind, tbf);
    }

    private static NetlinkMessage tcmsg(int type, int flags, int index, int handle, int parent) {
        return NetlinkMessage.of(type, flags).u8(Rtnetlink.AF_UNSPEC).u8(0).u16(0)
                .u32(index).u32(handle).u32(parent).u32(0);
    }

    /** struct tc_ratespec as tc fills it: cell_log, link layer, overhead, cell_align -1, mpu, rate. */
    private static void rateSpec(ByteBuffer b, long rate32) {
        b.put((byte) CELL_LOG).put((byte) TC_LINKLAYER_ETHERNET).putShort((short) 0).putShort((short) -1)
                .putShort((short) 0).putInt((int) rate32);
    }

    /** tc_calc_xmittime: the time to send {@code size} bytes at {@code rate}, in psched ticks, as tc rounds it. */
    static long ticks(long rate, long size) {
        long microseconds = Math.min((long) (1_000_000 * ((double) size / rate)), U32_MAX);
        return Math.min((long) (microseconds * TICKS_PER_MICROSECOND), U32_MAX);
    }

    /** A percentage as netem's u32 probability, rounded as tc rounds it. */
    static long probability(double percent) {
        return (long) Math.rint(percent / 100 * U32_MAX);
    }

    private static byte[] u64(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(value).array();
    }

    private static byte[] struct(int length, Consumer<ByteBuffer> fill) {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        fill.accept(b);
        return b.array();
    }

    /**
     * Attributes laid out as one attribute's payload. TCA_OPTIONS goes without NLA_F_NESTED, as tc sends it:
     * netem's options are a struct followed by attributes, not a plain nest.
     */
    private static byte[] attributes(Consumer<NetlinkMessage> fill) {
        NetlinkMessage scratch = NetlinkMessage.of(0, 0);
        fill.accept(scratch);
        byte[] whole = scratch.toBytes(0);
        return Arrays.copyOfRange(whole, NetlinkMessage.HEADER_LENGTH, whole.length);
    }
}
