/**
 * Not API. The one binding to libc, and the exception it throws. Nothing outside Isonet imports this.
 */
package dev.isonet.internal.linux;
