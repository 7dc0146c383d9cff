package dev.isonet.internal.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.isonet.internal.netlink.Request;
import dev.isonet.internal.netlink.TrafficControl.Tbf;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What a change of rate or (with netem) delay sends to one link end, the sizes of the token bucket, and how
 * rates and delays read. The bytes of each request are TrafficControlEncodingTests'. No root needed.
 */
class LinkShapeTests {
    private static final Rate MBIT = new Rate(1_000_000);
    private static final Delay FIFTY = new Delay(50_000_000, 10_000_000);
    private static final int INDEX = 3;
    private static final int MTU = 1500;

    private static java.util.List<String> change(LinkShape before, LinkShape after) {
        return after.changeFrom(before, INDEX, MTU).stream().map(r -> r.operation() + " @ " + r.object()).toList();
    }

    @Test
    void aRateIsAddedChangedInPlaceAndDeleted() {
        LinkShape rate = new LinkShape(MBIT, null);
        LinkShape faster = new LinkShape(new Rate(2_000_000), null);

        assertThat(change(LinkShape.NONE, rate)).containsExactly("add qdisc tbf " + MBIT.tbf(MTU) + " @ root of link 3");
        assertThat(change(rate, faster)).containsExactly(
                "replace qdisc with tbf " + faster.rate().tbf(MTU) + " @ root of link 3");
        assertThat(change(faster, LinkShape.NONE)).containsExactly("delete root qdisc @ of link 3");
        assertThat(change(rate, new LinkShape(new Rate(1_000_000), null))).isEmpty();
    }

    @Test
    void withNetemADelayIsTheRootAndARateSitsBelowIt() {
        LinkShape both = new LinkShape(MBIT, FIFTY);

        assertThat(change(LinkShape.NONE, both)).hasSize(2).satisfies(list -> {
            assertThat(list.get(0)).startsWith("add qdisc netem").endsWith("@ root of link 3");
            assertThat(list.get(1)).startsWith("add qdisc tbf").endsWith("@ class 1:1 of link 3");
        });
        assertThat(change(both, new LinkShape(new Rate(2_000_000), new Delay(20_000_000, 0)))).hasSize(2)
                .allMatch(line -> line.startsWith("replace"));
        assertThat(change(both, new LinkShape(MBIT, null))).as("a change of kinds starts over").containsExactly(
                "delete root qdisc @ of link 3", "add qdisc tbf " + MBIT.tbf(MTU) + " @ root of link 3");
        assertThat(change(new LinkShape(MBIT, null), new LinkShape(null, FIFTY))).hasSize(2)
                .first().isEqualTo("delete root qdisc @ of link 3");
    }

    @Test
    void theNetemRootHasHandleOneAndItsBucketTenBelowItsOneClass() {
        java.util.List<Request> requests = new LinkShape(MBIT, FIFTY).changeFrom(LinkShape.NONE, INDEX, MTU);
        byte[] netem = requests.get(0).message().toBytes(1);
        byte[] tbf = requests.get(1).message().toBytes(1);

        // tcmsg: family, pads, ifindex at 20, handle at 24, parent at 28 (host-endian)
        assertThat(java.nio.ByteBuffer.wrap(netem, 24, 8).order(java.nio.ByteOrder.nativeOrder()).getInt())
                .isEqualTo(0x10000);
        assertThat(java.nio.ByteBuffer.wrap(tbf, 24, 8).order(java.nio.ByteOrder.nativeOrder()).getInt())
                .isEqualTo(0x100000);
        assertThat(java.nio.ByteBuffer.wrap(tbf, 28, 4).order(java.nio.ByteOrder.nativeOrder()).getInt())
                .isEqualTo(0x10001);
    }

    @Test
    void theBucketHoldsAFrameOrFourMillisecondsAndItsQueueAHundred() {
        assertThat(new Rate(1_000_000).tbf(1500)).isEqualTo(new Tbf(125_000, 1514, 1514 + 12_500));
        assertThat(new Rate(8).tbf(1500)).isEqualTo(new Tbf(1, 1514, 1514 + 2 * 1514));
        assertThat(new Rate(1_000_000_000).tbf(9000)).isEqualTo(new Tbf(125_000_000, 500_000, 500_000 + 12_500_000));
        assertThat(new Rate(1_000_001).tbf(1500).rate()).as("rounded up to whole bytes").isEqualTo(125_001);
        assertThat(new Rate(Long.MAX_VALUE).tbf(1500).limit()).isEqualTo(Integer.MAX_VALUE);
        assertThatThrownBy(() -> new Rate(7)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ratesReadInTheLargestDecimalUnitTheyFill() {
        assertThat(new Rate(1_000_000).text()).isEqualTo("1 Mbit/s");
        assertThat(new Rate(1_500).text()).isEqualTo("1.5 kbit/s");
        assertThat(new Rate(999).text()).isEqualTo("999 bit/s");
        assertThat(new Rate(10_000_000_000L).text()).isEqualTo("10 Gbit/s");
        assertThat(new Rate(1_234_567).text()).isEqualTo("1.234567 Mbit/s");
    }

    @Test
    void delaysReadInMillisecondsAndDrawUniformlyWithinTheirJitter() {
        assertThat(FIFTY.text()).isEqualTo("50 ms ± 10 ms");
        assertThat(new Delay(250_000, 0).text()).isEqualTo("0.25 ms");
        SplittableRandom random = new SplittableRandom(1);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 100_000; i++) {
            long sample = FIFTY.sample(random);
            min = Math.min(min, sample);
            max = Math.max(max, sample);
        }
        assertThat(min).isBetween(40_000_000L, 40_100_000L);
        assertThat(max).isBetween(59_900_000L, 60_000_000L);
        assertThat(new Delay(5, 0).sample(random)).isEqualTo(5);
        assertThatThrownBy(() -> new Delay(10, 11)).isInstanceOf(IllegalArgumentException.class);
    }
}
