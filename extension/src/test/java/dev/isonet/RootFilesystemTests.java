package dev.isonet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Root filesystems: processes of a node with one run in an overlay of the directory, pivoted into, with the
 * node's own /proc, a minimal /dev, the node's /sys read-only, a tmpfs /tmp and the network's names; changes land
 * in the upper layer only, which goes with the node; errors name the node, the option or program, and the root.
 */
@RequiresPrivileges
@Timeout(60)
class RootFilesystemTests {
    @TempDir
    static Path root;

    @BeforeAll
    static void buildRoot() throws Exception {
        BusyboxRoot.build(root);
        Files.writeString(root.resolve("www/old.txt"), "to be deleted\n");
    }

    @Test
    void processesSeeOnlyTheRootWithTheNodesProcDevSysTmpAndNames() throws Exception {
        try (Network network = Network.builder().nat(false).build()) {
            Node web = network.addNode(NodeSpec.named("web").rootfs(root));
            network.addNode("client");

            assertThat(web.exec("pwd").stdout()).isEqualTo("/\n");
            assertThat(web.exec("ls", "/").stdout().split("\n"))
                    .containsExactlyInAnyOrder("bin", "dev", "etc", "proc", "sys", "tmp", "www");
            assertThat(web.exec("cat", "/proc/self/mountinfo").stdout().lines().map(l -> l.split(" ")[4]))
                    .containsExactlyInAnyOrder("/", "/proc", "/dev", "/dev/null", "/dev/zero", "/dev/full",
                            "/dev/random", "/dev/urandom", "/dev/tty", "/dev/pts", "/dev/shm", "/sys", "/tmp",
                            "/etc/hosts", "/etc/resolv.conf");
            assertThat(web.exec("ls", "/sys/class/net").stdout().split("\n")).containsExactlyInAnyOrder("eth0", "lo");
            ExecResult sys = web.exec("touch", "/sys/x");
            assertThat(sys.exitCode()).isNotZero();
            assertThat(sys.stderr()).contains("Read-only file system");
            assertThat(web.exec("sh", "-c", "head -c 5 /dev/urandom | wc -c; echo x > /dev/null; ls /dev/pts")
                    .stdout()).isEqualTo("5\nptmx\n");
            assertThat(web.exec("cat", "/etc/hosts").stdout()).contains("\tweb\n").contains("\tclient\n");
            List<String> ps = web.exec("ps", "-o", "pid,args").stdout().lines().skip(1).map(String::strip).toList();
            assertThat(ps.get(0)).startsWith("1 ").contains("isonet-init");
            assertThat(ps).as("only the node's processes").hasSizeLessThanOrEqualTo(4).noneMatch(l -> l.contains("java"));
            assertThat(web.run(() -> Files.isDirectory(Path.of(System.getProperty("java.home")))))
                    .as("Java code on node threads keeps the host's files").isTrue();
        }
    }

    @Test
    void aProcessStartsInTheDirectoryItAsksForInsideTheRoot() throws Exception {
        try (Network network = Network.builder().nat(false).build()) {
            Node web = network.addNode(NodeSpec.named("web").rootfs(root));
            for (File directory : List.of(new File("/www"), new File("www"))) {
                NodeProcess pwd = web.start(new ProcessBuilder("pwd").directory(directory));
                assertThat(pwd.waitFor()).isZero();
                assertThat(pwd.logs()).extracting(LogLine::text).containsExactly("/www");
            }
        }
    }

    @Test
    void changesLandInTheUpperLayerAndTheLowerDirectoryStaysAsItWas() throws Exception {
        Path changes;
        try (Network network = Network.builder().nat(false).build()) {
            Node web = network.addNode(NodeSpec.named("web").rootfs(root));
            ExecResult written = web.exec("sh", "-c", "echo written > /www/new.txt && echo changed >> /www/index.html"
                    + " && rm /www/old.txt && echo scratch > /tmp/scratch");
            assertThat(written.exitCode()).as(written.stderr()).isZero();

            changes = web.rootfsChanges();
            assertThat(changes.resolve("www/new.txt")).hasContent("written");
            assertThat(changes.resolve("www/index.html")).hasContent("hello from the busybox root\nchanged");
            assertThat(Files.isRegularFile(changes.resolve("www/old.txt"))).as("a whiteout, not a file").isFalse();
            assertThat(changes.resolve("tmp/scratch")).as("/tmp is a tmpfs").doesNotExist();
            assertThat(root.resolve("www/index.html")).hasContent("hello from the busybox root");
            assertThat(root.resolve("www/old.txt")).exists();
            assertThat(root.resolve("www/new.txt")).doesNotExist();

            web.close();
            assertThatThrownBy(web::rootfsChanges).isInstanceOf(NodeClosedException.class)
                    .hasMessage("node 'web' is closed: its root filesystem's changes were removed with it");
        }
        assertThat(changes.getParent()).as("the node's temporary directory").doesNotExist();
        try (Stream<String> mounts = Files.lines(Path.of("/proc/self/mountinfo"))) {
            assertThat(mounts.filter(l -> l.contains(changes.getParent().toString()))).isEmpty();
        }
    }

    @Test
    void aProgramMissingInTheRootFailsNamingTheNodeTheProgramAndTheRoot() throws Exception {
        try (Network network = Network.builder().nat(false).build()) {
            Node web = network.addNode(NodeSpec.named("web").rootfs(root));

            assertThatThrownBy(() -> web.exec("java", "-version")).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("Cannot run program \"java\" in node 'web': no executable java in the"
                            + " node's root filesystem " + root + " (searched PATH ");
            assertThatThrownBy(() -> web.exec("/usr/bin/env")).isInstanceOf(IOException.class)
                    .hasMessage("Cannot run program \"/usr/bin/env\" in node 'web': there is no executable /usr/bin/env"
                            + " in the node's root filesystem " + root);
            assertThatThrownBy(() -> web.exec("/www/index.html")).isInstanceOf(IOException.class)
                    .hasMessageContaining("there is no executable /www/index.html");
            assertThatThrownBy(() -> web.start(new ProcessBuilder("ls").directory(new File("/nowhere"))))
                    .isInstanceOf(IOException.class)
                    .hasMessage("Cannot run program \"ls\" in node 'web': its working directory /nowhere is not a"
                            + " directory in the node's root filesystem " + root);
            assertThat(web.exec("/bin/true").exitCode()).as("absolute symlinks resolve inside the root").isZero();
        }
    }

    @Test
    void aRootThatIsGoneWhenTheNodeIsBuiltFailsNamingNodeAndRootAndLeavesNothing(@TempDir Path scratch)
            throws Exception {
        Path doomed = Files.createDirectory(scratch.resolve("doomed"));
        NodeSpec spec = NodeSpec.named("web").rootfs(doomed);
        Files.delete(doomed);
        List<String> before = isonetTemporaryDirectories();
        try (Network network = Network.builder().nat(false).build()) {
            assertThatThrownBy(() -> network.addNode(spec)).isInstanceOf(IsonetException.class)
                    .hasMessage("node 'web': rootfs " + doomed + ": no such directory");
            assertThat(network.nodes()).isEmpty();
        }
        assertThat(isonetTemporaryDirectories()).isEqualTo(before);
    }

    private static List<String> isonetTemporaryDirectories() {
        String[] names = new File(System.getProperty("java.io.tmpdir")).list((dir, name) -> name.startsWith("isonet-"));
        return names == null ? List.of() : Arrays.stream(names).sorted().toList();
    }
}
