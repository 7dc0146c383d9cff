package dev.isonet.internal.diagnostics;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.List;

/**
 * What Isonet did for one network, with the time of each step: built, node added or closed, fault applied or
 * healed, closed. Each event is also logged at DEBUG. The log keeps the last {@value #MAX} events.
 */
public final class Events {
    private static final System.Logger LOG = System.getLogger("dev.isonet");
    static final int MAX = 10_000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);

    /** One step: when, and what (as "fault applied: partition [a] | [b] (0.31 ms)"). */
    public record Event(Instant time, String text) {
        @Override
        public String toString() {
            return TIME.format(time) + "  " + text;
        }
    }

    private final String network;
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private long dropped;

    /** The log of the network that {@code network} names in log lines ("network 10.213.0.0/24"). */
    public Events(String network) {
        this.network = network;
    }

    /** Records that Isonet did {@code text} for this network just now. */
    public void add(String text) {
        Event event = new Event(Instant.now(), text);
        synchronized (this) {
            if (events.size() == MAX) {
                events.removeFirst();
                dropped++;
            }
            events.addLast(event);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "isonet: " + network + ": " + text);
    }

    /** Records {@code text} with the milliseconds since {@code startNanos} (a {@link System#nanoTime()}). */
    public void add(String text, long startNanos) {
        add(text + " (" + millis(System.nanoTime() - startNanos) + ")");
    }

    /** A duration in nanoseconds as "0.31 ms". */
    public static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    public synchronized List<Event> list() {
        return List.copyOf(events);
    }

    /** The log as text, one event a line, times in UTC. */
    public synchronized String text() {
        StringBuilder out = new StringBuilder();
        if (dropped > 0) {
            out.append("(").append(dropped).append(" older events dropped)\n");
        }
        for (Event event : events) {
            out.append(event).append('\n');
        }
        return out.toString();
    }
}
