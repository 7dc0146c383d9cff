package dev.isonet.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a {@link dev.isonet.Node} field or parameter as a node of the {@link IsolatedNetwork}. Instance
 * fields are fresh for every test; static fields are shared by the class. A parameter with the name of an
 * existing node of the network gets that node. With {@link #rootfs()}, {@link #memory()}, {@link #pids()} or
 * {@link #cpus()} the node's processes run as in a container:
 *
 * <pre>{@code
 * @Container(rootfs = "target/rootfs", memory = "64m", pids = 100, cpus = 0.5)
 * Node web;
 * }</pre>
 *
 * <p>Fields must be of type {@code Node} and not final; names must be unique. Parameter names need
 * {@code javac -parameters}, or an explicit {@link #name()}. The class (or the test method) needs
 * {@link IsolatedNetwork}; a {@code @Container} without it fails, naming the field, instead of staying null.
 * A bad attribute fails, naming the field (or parameter) and the attribute; for fields, before their nodes are
 * created.
 *
 * <p>Here the parameter {@code db} gets the static field's node (a parameter's other attributes are then not
 * used), and {@code client} a new node:
 *
 * <pre>{@code
 * @Container static Node db;
 *
 * @Test
 * void readsBack(@Container Node db, @Container Node client) { ... }
 * }</pre>
 *
 * <p>The attributes are those of {@link dev.isonet.NodeSpec}, which the core API builds nodes with.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(IsolatedNetworkExtension.class)
@API(status = API.Status.MAINTAINED, since = "0.1")
public @interface Container {
    /**
     * The node's name and hostname ({@link dev.isonet.NodeSpec#named(String)}).
     *
     * @return 1 to 63 letters, digits or '-'; empty (the default) takes the field's or parameter's name
     */
    String name() default "";

    /**
     * A fixed IPv4 address in the network's subnet (which must then be fixed too, with
     * {@link IsolatedNetwork#subnet()}), as {@link dev.isonet.NodeSpec#address(String)} takes it.
     *
     * @return an address a.b.c.d; empty (the default) takes the next free one
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    String address() default "";

    /**
     * The MTU of the node's link ({@link dev.isonet.NodeSpec#mtu(int)}).
     *
     * @return 68 to 65535; 0 (the default) keeps the kernel's default (1500)
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    int mtu() default 0;

    /**
     * More names by which every node of the network reaches this one ({@link dev.isonet.NodeSpec#aliases}).
     *
     * <pre>{@code
     * @Container(aliases = {"zookeeper", "zk.internal"}) Node zk1;
     * }</pre>
     *
     * @return host names; empty (the default) for none
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    String[] aliases() default {};

    /**
     * Sysctls of the node's network namespace ({@link dev.isonet.NodeSpec#sysctl(String, String)}).
     *
     * <pre>{@code
     * @Container(sysctls = {"net.ipv4.tcp_keepalive_time=30", "net.ipv4.ip_local_port_range=40000 40100"}) Node app;
     * }</pre>
     *
     * @return entries {@code key=value}, each key a {@code net.*} sysctl; empty (the default) for none
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    String[] sysctls() default {};

    /**
     * A directory that becomes the root filesystem of the node's processes (relative paths are taken from the
     * working directory), as {@link dev.isonet.NodeSpec#rootfs} describes: an overlay that never writes the
     * directory, with the node's own /proc, a minimal /dev, /sys and /tmp. It must exist when the node is created:
     * for an instance field, {@code @BeforeAll} methods may build it; for a static field, it must exist before
     * them.
     *
     * @return a directory; empty (the default): the node's processes see the host's files
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    String rootfs() default "";

    /**
     * The most memory the node's processes may use together, as {@code "64m"}, {@code "1g"}, {@code "512k"} or a
     * number of bytes ({@link dev.isonet.NodeSpec#memoryLimit(String)}). Needs a cgroup memory controller.
     *
     * @return a size, at least 4 MiB; empty (the default): no limit
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    String memory() default "";

    /**
     * The most processes and threads the node may have ({@link dev.isonet.NodeSpec#pidsLimit}). Needs a cgroup
     * pids controller.
     *
     * @return at least 2; 0 (the default): no limit
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    int pids() default 0;

    /**
     * The CPUs the node's processes may use, such as 0.5 ({@link dev.isonet.NodeSpec#cpus}). Needs a cgroup
     * cpu controller.
     *
     * @return 0.01 to 1024; 0 (the default): no limit
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    double cpus() default 0;
}
