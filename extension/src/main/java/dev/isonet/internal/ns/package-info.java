/**
 * Not API. Network and UTS namespaces held by file descriptors, the dedicated threads that enter them, and
 * the processes started inside them.
 */
package dev.isonet.internal.ns;
