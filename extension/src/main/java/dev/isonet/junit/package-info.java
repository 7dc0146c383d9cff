/**
 * The JUnit 5 adapter: {@link dev.isonet.junit.IsolatedNetwork} on a test class or method, and
 * {@link dev.isonet.junit.Container} on {@link dev.isonet.Node} fields and parameters. A parameter of type
 * {@link dev.isonet.Network} gets the network itself.
 *
 * <pre>{@code
 * @IsolatedNetwork
 * class ReplicationTests {
 *     @Container static Node primary;
 *     @Container Node replica;
 *
 *     @Test
 *     void replicaReachesPrimary() throws Exception {
 *         ExecResult ping = replica.exec("ping", "-c", "1", "-W", "2", "primary");
 *         assertEquals(0, ping.exitCode(), ping::toString);
 *     }
 * }
 * }</pre>
 *
 * <p>The extension itself is package-private: tests use these annotations and the core API of
 * {@code dev.isonet}.
 */
package dev.isonet.junit;
