package dev.isonet.internal.process;

import dev.isonet.LogLine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The output of one process, line by line: the last {@code capacity} lines, and the consumers that get each
 * line as it comes. A consumer registered late first gets the lines kept so far, so none is missed between
 * starting a process and registering. Consumers run on the thread that reads the stream, one line at a time
 * and in order; one that throws is reported once and then left out.
 */
public final class ProcessLog {
    private static final System.Logger LOG = System.getLogger("dev.isonet");

    private final int capacity;
    private final ArrayDeque<LogLine> lines = new ArrayDeque<>();
    private final List<Consumer<LogLine>> consumers = new ArrayList<>();
    private long total;
    private int openStreams;

    /** A log of at most {@code capacity} lines, fed by {@code streams} streams. */
    public ProcessLog(int capacity, int streams) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a log keeps at least one line, not " + capacity);
        }
        this.capacity = capacity;
        this.openStreams = streams;
    }

    public synchronized void append(LogLine line) {
        lines.addLast(line);
        if (lines.size() > capacity) {
            lines.removeFirst();
        }
        total++;
        for (Consumer<LogLine> consumer : List.copyOf(consumers)) {
            deliver(consumer, line);
        }
        notifyAll();
    }

    /** False, and the consumer is left out from now on, if it threw. */
    private boolean deliver(Consumer<LogLine> consumer, LogLine line) {
        try {
            consumer.accept(line);
            return true;
        } catch (RuntimeException e) {
            consumers.remove(consumer);
            LOG.log(System.Logger.Level.WARNING, "isonet: a log consumer threw on '" + line + "'; it gets no more"
                    + " lines", e);
            return false;
        }
    }

    /** One stream has ended (the process, and everything that inherited it, closed it). */
    public synchronized void streamEnded() {
        openStreams--;
        notifyAll();
    }

    /**
     * Waits at most {@code millis} for every stream to end; a descendant that inherited a stream and still runs
     * keeps it open, which is why this is bounded.
     */
    public synchronized void awaitEnd(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!ended()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }

    /** Whether every stream has ended: no more lines will come. */
    public synchronized boolean ended() {
        return openStreams <= 0;
    }

    /** Gives {@code consumer} the lines kept so far, then every new one, until {@link #remove}. */
    public synchronized void add(Consumer<LogLine> consumer) {
        for (LogLine line : List.copyOf(lines)) {
            if (!deliver(consumer, line)) {
                return;
            }
        }
        consumers.add(consumer);
    }

    public synchronized void remove(Consumer<LogLine> consumer) {
        consumers.remove(consumer);
    }

    /** The lines kept, oldest first. */
    public synchronized List<LogLine> lines() {
        return List.copyOf(lines);
    }

    /** The last {@code n} lines kept, oldest first. */
    public synchronized List<LogLine> last(int n) {
        List<LogLine> all = new ArrayList<>(lines);
        return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
    }

    /** How many lines came in all, kept or dropped. */
    public synchronized long total() {
        return total;
    }

    public int capacity() {
        return capacity;
    }

    /** The last {@code n} lines as an indented block, saying how many came in all; for failure messages. */
    public String tail(int n) {
        List<LogLine> tail;
        long all;
        synchronized (this) {
            tail = last(n);
            all = total;
        }
        if (all == 0) {
            return "  (no output)";
        }
        StringBuilder out = new StringBuilder();
        if (all > tail.size()) {
            out.append("  (last ").append(tail.size()).append(" of ").append(all).append(" lines)\n");
        }
        for (LogLine line : tail) {
            out.append("  ").append(line).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }
}
