package dev.isonet.internal.faults;

import dev.isonet.internal.netlink.TrafficControl.Tbf;
import java.math.BigDecimal;

/**
 * A rate limit of {@code bitsPerSecond}, as a token bucket (TBF) on the sending end of a link. The kernel
 * counts whole frames (Ethernet header included) and bytes per second.
 *
 * <p>The bucket holds 4 ms of the rate, and never less than one frame: the kernel takes a smaller bucket and
 * then drops every frame longer than it (QdiscKernelTests). Behind it, frames wait up to about 100 ms of the
 * rate (at least two frames) before the bucket drops them, as a router's queue would: TCP finds the rate and
 * keeps the link busy without a standing queue of seconds.
 */
public record Rate(long bitsPerSecond) {
    /** Ethernet's header, which the kernel counts in every frame on a veth. */
    static final int ETHERNET_HEADER = 14;
    private static final String[] UNITS = {"bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s", "Pbit/s", "Ebit/s"};

    public Rate {
        if (bitsPerSecond < 8) {
            throw new IllegalArgumentException("a rate needs at least 8 bit/s, not " + bitsPerSecond);
        }
    }

    /** The token bucket for a link whose MTU is {@code mtu}. */
    public Tbf tbf(int mtu) {
        long bytes = bitsPerSecond / 8 + (bitsPerSecond % 8 == 0 ? 0 : 1);
        long frame = mtu + ETHERNET_HEADER;
        long burst = Math.max(frame, bytes / 250);
        long limit = burst + Math.max(2 * frame, bytes / 10);
        return new Tbf(bytes, (int) Math.min(burst, Integer.MAX_VALUE / 2), (int) Math.min(limit, Integer.MAX_VALUE));
    }

    /** {@code 1 Mbit/s}, {@code 1.5 kbit/s}, {@code 10 Gbit/s}: exact, in the largest decimal unit it fills. */
    public String text() {
        int unit = 0;
        long scale = 1;
        while (unit < UNITS.length - 1 && bitsPerSecond / scale >= 1000) {
            scale *= 1000;
            unit++;
        }
        return BigDecimal.valueOf(bitsPerSecond).divide(BigDecimal.valueOf(scale)).stripTrailingZeros()
                .toPlainString() + " " + UNITS[unit];
    }
}
