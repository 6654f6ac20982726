package io.distgate.gateway.local;

import java.util.ArrayDeque;
import java.util.List;

/** The last lines a process wrote, so a failing test can show them without unbounded memory. */
final class LogRing {
    private final int capacity;
    private final ArrayDeque<String> lines;

    LogRing(int capacity) {
        this.capacity = capacity;
        this.lines = new ArrayDeque<>(capacity);
    }

    synchronized void add(String line) {
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    synchronized boolean contains(String text) {
        return lines.stream().anyMatch(line -> line.contains(text));
    }

    /** The last {@code count} lines as one block, each line indented, for failure messages. */
    synchronized String tail(int count) {
        StringBuilder out = new StringBuilder();
        lines.stream().skip(Math.max(0, lines.size() - count))
                .forEach(line -> out.append("    | ").append(line).append('\n'));
        return out.length() == 0 ? "    | (no output)\n" : out.toString();
    }
}
