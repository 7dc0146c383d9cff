/**
 * Isonet's core API, usable without JUnit: a {@link dev.isonet.Network} of {@link dev.isonet.Node}s, each
 * node a real Linux network namespace on a per-network bridge, with IPv4 and IPv6 addresses and its name as
 * hostname.
 *
 * <pre>{@code
 * try (Network network = Network.builder().node("server").node("client").build()) {
 *     Node server = network.node("server");
 *     ServerSocket socket = server.run(() -> new ServerSocket(8080));
 *     ...
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Building.</b> {@link dev.isonet.Network#builder()}, with {@link dev.isonet.NodeSpec} for a node's
 *       address, MTU, aliases, sysctls, root filesystem and resource limits; {@link dev.isonet.ExternalHost}
 *       for a host beyond the machine.
 *   <li><b>Running code in a node.</b> {@link dev.isonet.Node#run} and {@link dev.isonet.Node#executor()} for
 *       Java code; {@link dev.isonet.Node#exec(Command)} ({@link dev.isonet.ExecResult}) and
 *       {@link dev.isonet.Node#start(Command)} ({@link dev.isonet.NodeProcess}) for processes, described by
 *       {@link dev.isonet.Command} and {@link dev.isonet.JvmCommand}.
 *   <li><b>Faults.</b> {@link dev.isonet.Network#partition}, {@link dev.isonet.Network#block},
 *       {@link dev.isonet.Partitions}, and conditions on a {@link dev.isonet.Link}; each returns a
 *       {@link dev.isonet.Fault} to heal.
 *   <li><b>Errors.</b> Misuse throws {@link java.lang.IllegalArgumentException} (checked before anything is
 *       created) or {@link java.lang.IllegalStateException} ({@link dev.isonet.NodeClosedException} after a
 *       node closed); what the kernel refuses throws {@link dev.isonet.IsonetException}.
 *       {@link dev.isonet.Privileges} says whether this process may build networks at all.
 * </ul>
 *
 * <p>Types carry {@code @API} from apiguardian: a {@code MAINTAINED} one does not change incompatibly before
 * the next minor release at the earliest; an {@code EXPERIMENTAL} one may change or go in any release. The
 * packages under {@code dev.isonet.internal} are not API.
 */
package dev.isonet;
