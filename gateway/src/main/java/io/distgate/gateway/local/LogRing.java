package io.distgate.gateway.local;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The last lines a process wrote, so a failing test can show them without unbounded memory,
 * with a bounded wait for a line, so callers wait on the log and not on the clock. One thread
 * adds lines (see {@link Processes#pump}) and closes the ring when the process's pipe closes.
 */
public final class LogRing {
    private final int capacity;
    private final ArrayDeque<String> lines;
    private boolean closed;

    public LogRing(int capacity) {
        this.capacity = capacity;
        this.lines = new ArrayDeque<>(capacity);
    }

    public synchronized void add(String line) {
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(line);
        notifyAll();
    }

    /** The writer is gone (its pipe closed): no line will come, so waiting stops. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public synchronized boolean contains(String text) {
        return lines.stream().anyMatch(line -> line.contains(text));
    }

    /** Waits, at most {@code bound}, for a line containing {@code text}; false if it did not come or the writer is gone. */
    public synchronized boolean await(String text, Duration bound) {
        long end = System.nanoTime() + bound.toNanos();
        try {
            while (!contains(text)) {
                long remaining = end - System.nanoTime();
                if (remaining <= 0 || closed) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, remaining);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return contains(text);
        }
    }

    /** The last {@code count} lines as one block, each line indented, for failure messages. */
    public synchronized String tail(int count) {
        StringBuilder out = new StringBuilder();
        lines.stream().skip(Math.max(0, lines.size() - count))
                .forEach(line -> out.append("    | ").append(line).append('\n'));
        return out.length() == 0 ? "    | (no output)\n" : out.toString();
    }
}
