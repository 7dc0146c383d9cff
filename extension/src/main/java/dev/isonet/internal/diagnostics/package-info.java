/**
 * Not API. What Isonet keeps and writes to show why a networked test failed: each network's packet capture and
 * event log, the diagnostics folder (capture, topology, rules, events, process logs), and networks kept up
 * after a failure for a person to look into.
 */
package dev.isonet.internal.diagnostics;
