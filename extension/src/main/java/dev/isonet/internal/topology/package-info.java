/**
 * Not API. How a network is laid out: subnets and their cross-JVM leases, and the router namespace that
 * holds the bridge, the gateway, the uplink to the host and the NAT rules.
 */
package dev.isonet.internal.topology;
