package dev.isonet.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives tests a real, isolated Linux network whose nodes are the {@link Container @Container} fields and
 * parameters of type {@link dev.isonet.Node}.
 *
 * <pre>{@code
 * @IsolatedNetwork
 * class EchoTests {
 *     @Container Node server;
 *     @Container Node client;
 *
 *     @Test
 *     void clientReachesServerByAddress() throws Exception {
 *         ServerSocket listener = server.run(() -> new ServerSocket(7));
 *         ...
 *         client.run(() -> new Socket(server.ipv4(), 7));
 *     }
 * }
 * }</pre>
 *
 * <h2>Creation</h2>
 * A network (router namespace, bridge, gateway, host uplink, NAT) is created when the first node or the
 * {@link dev.isonet.Network} parameter of a scope is needed; then one namespace per node, joined to the
 * bridge, with IPv4 and IPv6 addresses, default routes, and its name as hostname. All annotations are
 * checked before anything is created.
 *
 * <h2>Scope</h2>
 * Static {@code @Container} fields (and {@code @BeforeAll} parameters) belong to the class: one network for
 * all its tests, and instance nodes join it for each test. Without static ones, each test gets a network of
 * its own, so parallel tests never share addresses or ports. {@code @Nested} classes use the enclosing
 * class's network if it has one.
 *
 * <h2>Cleanup</h2>
 * Everything created for a test is closed after it, in reverse order, also when the test or the setup
 * failed; class-scoped objects after the class. Closing returns at once; the kernel reaps in the background
 * and no later network reuses a subnet before it has.
 *
 * <h2>Privileges</h2>
 * Isonet needs root, or CAP_NET_ADMIN and CAP_SYS_ADMIN. Without them tests fail with a message naming what
 * is missing, or are skipped with {@link #disabledWithoutPrivileges()}.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(IsolatedNetworkExtension.class)
public @interface IsolatedNetwork {
    /** A fixed IPv4 subnet (a.b.c.d/n); empty takes the next free one from the pool. */
    String subnet() default "";

    /** Masquerading egress beyond the network. Off, nodes reach only each other and the host. */
    boolean nat() default true;

    /** Skip, instead of fail, where the process lacks the privileges Isonet needs. */
    boolean disabledWithoutPrivileges() default false;
}
