/**
 * Not API. How faults are made: an nf_tables table {@code bridge isonet-faults} in each network's router
 * namespace (ARP and neighbour discovery accepted, then drops by bridge port pairs, by port toward and from
 * the router, and random loss per port), a table {@code inet isonet-faults} for cuts toward external hosts
 * and loss on the uplink, and the state they hold, rewritten in one batch per change. Rates are token buckets
 * on the sending end of a link ({@link dev.isonet.internal.faults.LinkShape}); delays are netem there where the
 * kernel has it, else packets queued to this JVM where they arrive ({@link dev.isonet.internal.faults.DelayTable},
 * {@link dev.isonet.internal.faults.DelayNamespace}, {@link dev.isonet.internal.faults.DelayLine}).
 */
package dev.isonet.internal.faults;
