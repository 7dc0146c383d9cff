/**
 * Not API. What every layer shares: the {@code isonet.*} settings.
 */
package dev.isonet.internal;
