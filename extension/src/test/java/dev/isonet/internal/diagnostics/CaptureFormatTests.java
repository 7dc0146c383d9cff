package dev.isonet.internal.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The capture's pieces that need no kernel: the ring's cap, the pcap bytes, the filter, addresses as text. */
class CaptureFormatTests {

    @Test
    void theRingKeepsTheLastFramesAndDropsWholeOldChunks() {
        FrameRing ring = new FrameRing(2 * FrameRing.CHUNK); // two chunks
        byte[] frame = new byte[1000];
        int perChunk = FrameRing.CHUNK / (FrameRing.HEADER + frame.length);
        for (int i = 0; i < 3 * perChunk; i++) {
            frame[0] = (byte) i;
            frame[1] = (byte) (i >> 8);
            ring.add(i, 1500, frame, frame.length);
        }

        List<byte[]> held = ring.framesHeld();
        assertThat(ring.frames()).isEqualTo(3L * perChunk);
        assertThat(ring.evicted()).isEqualTo(perChunk);
        assertThat(held).hasSize(2 * perChunk);
        assertThat((held.get(0)[0] & 0xff) | (held.get(0)[1] & 0xff) << 8).isEqualTo(perChunk);
        assertThat(ring.allocatedBytes()).isEqualTo(2L * FrameRing.CHUNK);
    }

    @Test
    void aPcapFileIsLibpcapsClassicFormatLittleEndianWithEthernetFrames(@TempDir Path folder) throws Exception {
        FrameRing ring = new FrameRing(1 << 20);
        ring.add(1_700_000_000_123_456L, 60, new byte[] {1, 2, 3, 4}, 4);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        Pcap.writeHeader(out, 1514);
        ring.writeRecords(out);
        out.flush();

        assertThat(HexFormat.of().formatHex(bytes.toByteArray())).isEqualTo(
                "d4c3b2a1" + "0200" + "0400" + "00000000" + "00000000" + "ea050000" + "01000000" // file header
                        + "00f1536540e20100" + "04000000" + "3c000000" + "01020304"); // one record
        Files.write(folder.resolve("one.pcap"), bytes.toByteArray());
        PcapFile read = PcapFile.read(folder.resolve("one.pcap"));
        assertThat(read.snapLength()).isEqualTo(1514);
        assertThat(read.frames()).singleElement().satisfies(f -> {
            assertThat(f.micros()).isEqualTo(1_700_000_000_123_456L);
            assertThat(f.length()).isEqualTo(60);
            assertThat(f.data()).containsExactly(1, 2, 3, 4);
        });
    }

    @Test
    void theKernelFilterKeepsTheSnapLengthOfWhatPortsReceiveAndWhatTheBridgeSends() {
        // classic BPF, host byte order: code (u16), jt, jf, k (u32); ifindex and pkttype are SKF_AD_OFF + 8 and + 4
        assertThat(HexFormat.of().formatHex(Capture.filter(2, 16, 1514))).isEqualTo(
                "2000" + "0000" + "08f0ffff"
                        + "1500" + "0300" + "02000000"
                        + "3500" + "0005" + "10000000"
                        + "2000" + "0000" + "04f0ffff"
                        + "1500" + "0302" + "04000000"
                        + "2000" + "0000" + "04f0ffff"
                        + "1500" + "0001" + "04000000"
                        + "0600" + "0000" + "ea050000"
                        + "0600" + "0000" + "00000000");
    }

    @Test
    void ipv6AddressesAreWrittenShort() throws Exception {
        assertThat(AddressText.of(InetAddress.getByName("fd15:e7e:ad5:0:0:0:0:2"))).isEqualTo("fd15:e7e:ad5::2");
        assertThat(AddressText.of(InetAddress.getByName("fe80:0:0:0:15:aff:fed5:2"))).isEqualTo("fe80::15:aff:fed5:2");
        assertThat(AddressText.of(InetAddress.getByName("0:0:0:0:0:0:0:1"))).isEqualTo("::1");
        assertThat(AddressText.of(InetAddress.getByName("1:0:2:0:0:3:0:0"))).isEqualTo("1:0:2::3:0:0");
        assertThat(AddressText.subnet("fd15:e7e:ad5:0:0:0:0:0/64")).isEqualTo("fd15:e7e:ad5::/64");
        assertThat(AddressText.of(InetAddress.getByName("10.213.0.2"))).isEqualTo("10.213.0.2");
    }
}
