package dev.isonet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.isonet.Network;
import dev.isonet.RequiresPrivileges;
import dev.isonet.internal.netlink.NfTables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * On a host whose forward hook drops by default (Docker's iptables FORWARD policy DROP), NAT egress fails: the
 * doctor checks egress end to end and names the chain and the fix, and building a NAT network warns once. The
 * "Docker host" is a child JVM in a network namespace of its own with such a chain.
 */
@RequiresPrivileges
class DoctorEgressTests {

    /** The child: makes its namespace a "Docker host", builds a NAT network, runs the doctor, prints both. */
    public static void main(String[] args) throws Exception {
        List<String> warnings = new ArrayList<>();
        Logger isonet = Logger.getLogger("dev.isonet");
        isonet.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (warnings) {
                    warnings.add(record.getLevel() + " " + record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        try (NfTables nft = NfTables.open("test: a Docker-like host")) {
            nft.batch()
                    .tableAdd(NfTables.FAMILY_IPV4, "filter", 0)
                    .chainAdd(NfTables.FAMILY_IPV4, "filter", "FORWARD", "filter", NfTables.HOOK_FORWARD, 0,
                            dev.isonet.internal.netlink.NfExpression.VERDICT_DROP)
                    .commit();
        }
        try (Network network = Network.builder().node("a").build()) {
            for (int i = 0; i < 100; i++) { // the warning is logged from a background thread
                synchronized (warnings) {
                    if (!warnings.isEmpty()) {
                        break;
                    }
                }
                Thread.sleep(50);
            }
        }
        synchronized (warnings) {
            warnings.forEach(w -> System.out.println("LOG " + w.replace('\n', ' ')));
        }
        ByteArrayOutputStream doctor = new ByteArrayOutputStream();
        int status = Doctor.run(new PrintStream(doctor, true, StandardCharsets.UTF_8), false);
        System.out.print(doctor.toString(StandardCharsets.UTF_8));
        System.out.println("STATUS " + status);
    }

    @Test
    @Timeout(120)
    void onADockerLikeHostTheDoctorNamesTheChainThatDropsEgressAndTheFix() throws Exception {
        Process child = new ProcessBuilder("unshare", "--net", "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DoctorEgressTests.class.getName())
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (var out = child.inputReader(StandardCharsets.UTF_8)) {
            out.lines().forEach(lines::add);
        }
        assertThat(child.waitFor(90, TimeUnit.SECONDS)).isTrue();
        String all = String.join("\n", lines);

        assertThat(lines).as(all).filteredOn(l -> l.startsWith("LOG WARNING NAT egress")).hasSize(1)
                .allSatisfy(l -> assertThat(l).contains("ip filter FORWARD { type filter hook forward priority 0;"
                        + " policy drop; }").contains("iptables -I FORWARD -i iso+ -j ACCEPT"));
        assertThat(lines).as(all).anySatisfy(l -> assertThat(l).startsWith("  [FAIL] NAT egress (node -> external host)"));
        assertThat(lines).as(all).anySatisfy(l -> assertThat(l)
                .startsWith("isonet doctor: FAILED: NAT egress (node -> external host): a node could not reach")
                .contains("the host's firewall drops forwarded packets: ip filter FORWARD")
                .contains("To let them out: iptables -I FORWARD -i iso+ -j ACCEPT"));
        assertThat(lines).as(all).contains("STATUS 1");
    }
}
