/**
 * The {@code bench} command: what a per-test network costs with Isonet, against the same topology built by
 * {@code ip}/{@code nft} processes, plus cold start, per-call overhead, data path and memory.
 */
package dev.isonet.bench;
