package dev.isonet.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
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
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(IsolatedNetworkExtension.class)
public @interface Container {
    /** The node's name and hostname; defaults to the field's or parameter's name. */
    String name() default "";

    /**
     * A fixed IPv4 address in the network's subnet (which must then be fixed too, with
     * {@link IsolatedNetwork#subnet()}); empty takes the next free one.
     */
    String address() default "";

    /** The MTU of the node's link, 68 to 65535; 0 keeps the kernel's default (1500). */
    int mtu() default 0;

    /** More names by which every node of the network reaches this one. */
    String[] aliases() default {};

    /** Sysctls of the node's network namespace, as {@code "net.ipv4.tcp_keepalive_time=30"}. */
    String[] sysctls() default {};

    /**
     * A directory that becomes the root filesystem of the node's processes (relative paths are taken from the
     * working directory), as {@link dev.isonet.NodeSpec#rootfs} describes: an overlay that never writes the
     * directory, with the node's own /proc, a minimal /dev, /sys and /tmp. It must exist when the node is created:
     * for an instance field, {@code @BeforeAll} methods may build it; for a static field, it must exist before
     * them. Empty: the node's processes see the host's files.
     */
    String rootfs() default "";

    /**
     * The most memory the node's processes may use together, as {@code "64m"}, {@code "1g"}, {@code "512k"} or a
     * number of bytes ({@link dev.isonet.NodeSpec#memoryLimit(String)}); empty: no limit.
     */
    String memory() default "";

    /** The most processes and threads the node may have ({@link dev.isonet.NodeSpec#pidsLimit}); 0: no limit. */
    int pids() default 0;

    /** The CPUs the node's processes may use, such as 0.5 ({@link dev.isonet.NodeSpec#cpus}); 0: no limit. */
    double cpus() default 0;
}
