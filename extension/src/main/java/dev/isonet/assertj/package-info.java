/**
 * AssertJ assertions about what nodes can reach, one entry point: {@link dev.isonet.assertj.IsonetAssertions}.
 *
 * <pre>{@code
 * assertThat(client).canReach(server).onTcpPort(8080);
 * assertThat(client).cannotReach(server).within(Duration.ofMillis(500)).viaIcmp();
 * assertThat(network).viaIcmp().isPartitionedAs(List.of(a, b), List.of(c));
 * }</pre>
 *
 * <p>Reachability assertions probe with real packets, from threads inside the source node, when they run: TCP
 * connects, UDP datagrams and their echo, or ICMP echo requests ({@link dev.isonet.assertj.Reach} says what each
 * needs). A failure names the source, the target, the protocol, what the probe found, and the faults active
 * on the network.
 *
 * <p>AssertJ is an optional dependency of isonet-junit: tests that use these assertions have it on their class
 * path already; others never load this package. The package is {@code EXPERIMENTAL} (see {@code @API}): it may
 * change in any release.
 */
package dev.isonet.assertj;
