package io.distgate.it.bench;

import io.distgate.gateway.local.Deadline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * How busy the whole machine is, from the first line of {@code /proc/stat}. Before each
 * workload the run waits (bounded) for the machine to be quiet, so a gateway still compiling
 * after the warm-up, or another process, does not land in one path's numbers only.
 */
final class MachineLoad {

    /** Busy below this share of all cores counts as quiet. */
    static final double QUIET = 0.10;
    private static final Duration WINDOW = Duration.ofMillis(500);
    private static final Duration BOUND = Duration.ofSeconds(20);

    private MachineLoad() {
    }

    /** Share of all cores busy (not idle, not waiting for I/O) during {@code window}. */
    static double busy(Duration window) {
        long[] before = cpuLine();
        Deadline.after(window).pauseBetweenProbes(window);
        long[] after = cpuLine();
        long total = 0;
        long idle = 0;
        for (int i = 0; i < before.length; i++) {
            long d = after[i] - before[i];
            total += d;
            if (i == 3 || i == 4) {
                idle += d;
            }
        }
        return total == 0 ? 0 : (double) (total - idle) / total;
    }

    /**
     * Waits until one window is quiet, at most {@link #BOUND}; returns the last window's busy
     * share (above {@link #QUIET} when the machine never became quiet).
     */
    static double settle() {
        Deadline deadline = Deadline.after(BOUND);
        double busy = busy(WINDOW);
        while (busy > QUIET && !deadline.expired()) {
            busy = busy(WINDOW);
        }
        return busy;
    }

    private static long[] cpuLine() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            return Arrays.stream(line.substring(3).trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
