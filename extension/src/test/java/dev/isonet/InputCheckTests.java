package dev.isonet;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad arguments fail before anything is created, naming the parameter and the value. Needs no root. */
class InputCheckTests {

    @ParameterizedTest
    @ValueSource(strings = {"010.1.2.0/24", "10.1.2.0/+24", "10.1.2.0/-0", "+10.1.2.0/24", "10.1.2.0/024",
            "10.01.2.0/24", "10.1.2.0", "10.1.2.0/24/8", "10.1.2/24", "10.1.2.0.0/24", " 10.1.2.0/24", "10.1.2.0/ 24",
            "10.1.256.0/24", "0x0a.1.2.0/24", "10.1.2.0/"})
    void aSubnetIsParsedStrictly(String subnet) {
        assertThatThrownBy(() -> Network.builder().subnet(subnet).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("subnet '" + subnet + "' must be written as a.b.c.d/n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "224.1.0.0/24; 224.0.0.0/4, multicast",
            "239.255.255.0/24; 224.0.0.0/4, multicast",
            "0.0.0.0/8; 0.0.0.0/8, \"this network\"",
            "240.0.0.0/8; 240.0.0.0/4, reserved and broadcast",
            "255.255.255.0/24; 240.0.0.0/4, reserved and broadcast",
            "169.254.10.0/24; 169.254.0.0/16, link-local",
            "127.5.0.0/16; 127.0.0.0/8, loopback"})
    void reservedRangesAreRefused(String subnet, String range) {
        assertThatThrownBy(() -> Network.builder().subnet(subnet).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("subnet '" + subnet + "' overlaps " + range + ", which no network can use; choose a"
                        + " private range such as 10.0.0.0/8 or 172.16.0.0/12");
    }

    @Test
    void aReservedPoolIsRefusedByName() {
        assertThatThrownBy(() -> Network.builder().pool("169.254.0.0/16").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("pool '169.254.0.0/16' overlaps 169.254.0.0/16, link-local");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1.0.0/7", "10.1.2.0/30", "10.1.2.0/32"})
    void prefixesOutsideEightToTwentyNineAreRefused(String subnet) {
        assertThatThrownBy(() -> Network.builder().subnet(subnet).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("subnet '" + subnet + "' has prefix")
                .hasMessageContaining("must be /8 to /29");
    }

    @Test
    void hostBitsAreRefusedWithTheSubnetMeant() {
        assertThatThrownBy(() -> Network.builder().subnet("10.1.2.3/24").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("subnet '10.1.2.3/24' has host bits set; did you mean 10.1.2.0/24?");
    }

    @Test
    void aPrefixLengthOutOfRangeIsRefused() {
        assertThatThrownBy(() -> Network.builder().prefixLength(31).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prefixLength 31 must be 8 to 29");
        assertThatThrownBy(() -> Network.builder().pool("10.0.0.0/16").prefixLength(12).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("prefixLength 12 is shorter than the pool 10.0.0.0/16's /16");
    }

    @Test
    void nodesThatCannotFitAreRefusedBeforeAnythingIsBuilt() {
        String[] names = new String[300];
        for (int i = 0; i < names.length; i++) {
            names[i] = "n" + i;
        }
        assertThatThrownBy(() -> Network.builder().subnet("10.218.0.0/24").node(names).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("300 nodes do not fit in a /24 subnet, which holds at most 251; give the network a"
                        + " shorter prefix");
        assertThatThrownBy(() -> Network.builder().prefixLength(29).node("a", "b", "c", "d").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("4 nodes do not fit in a /29 subnet, which holds at most 3");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "127.0.0.5/8; address '127.0.0.5/8' overlaps 127.0.0.0/8, loopback",
            "203.0.113.0/24; address '203.0.113.0/24' is not a host address of 203.0.113.0/24",
            "203.0.113.255/24; address '203.0.113.255/24' is not a host address of 203.0.113.0/24",
            "203.0.113.010/24; address '203.0.113.010/24' must be written as a.b.c.d/n"})
    void anExternalHostAddressIsCheckedFirst(String address, String message) {
        assertThatThrownBy(() -> ExternalHost.create("upstream", address))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }
}
