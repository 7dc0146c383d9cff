/**
 * Isonet's core API, usable without JUnit: a {@link dev.isonet.Network} of {@link dev.isonet.Node}s, each
 * node a real Linux network namespace on a per-network bridge.
 *
 * <pre>{@code
 * try (Network network = Network.builder().node("server").node("client").build()) {
 *     Node server = network.node("server");
 *     ServerSocket socket = server.run(() -> new ServerSocket(8080));
 *     ...
 * }
 * }</pre>
 */
package dev.isonet;
