package dev.isonet.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives tests a real, isolated Linux network whose nodes are the {@link Container @Container} fields and
 * parameters of type {@link dev.isonet.Node}. A parameter of type {@link dev.isonet.Network} gets the network
 * itself.
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
 * and no later network reuses a subnet before it has. Faults a test makes on its class's network
 * ({@link dev.isonet.Network#partition}, {@link dev.isonet.Link#loss(double)} and the others) are healed after
 * its {@code @AfterEach} methods; those made in {@code @BeforeAll} stay for the class.
 *
 * <h2>Failures</h2>
 * When a test (or a {@code @BeforeAll}, {@code @BeforeEach} or {@code @AfterEach} method) fails, the last lines
 * of the processes started in the network's nodes are added to the failure. Misuse, such as a {@code @Container}
 * field that is final or not a {@code Node}, or a bad subnet, fails with an
 * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} naming the field or attribute (a
 * parameter's with a {@link org.junit.jupiter.api.extension.ParameterResolutionException}).
 *
 * <h2>Privileges</h2>
 * Isonet needs root, or CAP_NET_ADMIN and CAP_SYS_ADMIN. Without them tests fail with a message naming what
 * is missing, or are skipped with {@link #disabledWithoutPrivileges()}.
 *
 * <h2>Settings</h2>
 * The {@code isonet.*} settings are read from the system property of that name, else from the JUnit
 * configuration parameter ({@code junit-platform.properties}), else they take their default. The README lists
 * them.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(IsolatedNetworkExtension.class)
@API(status = API.Status.MAINTAINED, since = "0.1")
public @interface IsolatedNetwork {
    /**
     * A fixed IPv4 subnet, needed for {@link Container#address()}. Building the network fails if it overlaps
     * the host's addresses or routes, or a live network (of any JVM on the host).
     *
     * <pre>{@code
     * @IsolatedNetwork(subnet = "10.30.0.0/24")
     * }</pre>
     *
     * @return a subnet a.b.c.d/n (/8 to /29, without host bits, outside reserved ranges); empty takes the next
     *     free one from the pool (the setting {@code isonet.subnet.pool})
     */
    String subnet() default "";

    /**
     * Masquerading egress beyond the network, so nodes reach what the host reaches.
     *
     * @return true (the default) for NAT; false: nodes reach only each other and the host
     */
    boolean nat() default true;

    /**
     * Skip, instead of fail, where the process lacks the privileges Isonet needs. The skip reason names what
     * is missing.
     *
     * @return true to skip without CAP_NET_ADMIN and CAP_SYS_ADMIN; false (the default) to fail
     */
    boolean disabledWithoutPrivileges() default false;
}
