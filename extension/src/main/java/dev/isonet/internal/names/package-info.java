/**
 * Not API. Names between nodes: the hosts and resolv.conf files bind-mounted into nodes, and the registry that
 * Java-side name lookups consult.
 */
package dev.isonet.internal.names;
