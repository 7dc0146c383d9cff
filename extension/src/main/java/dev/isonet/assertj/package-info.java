/**
 * AssertJ assertions about what nodes can reach, one entry point: {@link dev.isonet.assertj.IsonetAssertions}.
 *
 * <pre>{@code
 * assertThat(client).canReach(server).onTcpPort(8080);
 * assertThat(client).cannotReach(server).within(Duration.ofMillis(500)).viaIcmp();
 * assertThat(network).viaIcmp().isPartitionedAs(List.of(a, b), List.of(c));
 * }</pre>
 *
 * <p>AssertJ is an optional dependency of isonet-junit: tests that use these assertions have it on their class
 * path already; others never load this package.
 */
package dev.isonet.assertj;
