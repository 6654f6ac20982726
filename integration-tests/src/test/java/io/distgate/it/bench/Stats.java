package io.distgate.it.bench;

import java.util.Arrays;
import java.util.List;

/** Percentiles of latency samples taken in nanoseconds, reported in microseconds. */
record Stats(int samples, double p50Us, double p99Us, double maxUs) {

    /** Nearest-rank percentiles of every sample in {@code parts} (the rounds of one measurement). */
    static Stats of(List<long[]> parts) {
        long[] all = parts.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        if (all.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Stats(all.length, us(rank(all, 0.50)), us(rank(all, 0.99)), us(all[all.length - 1]));
    }

    /** The samples an Erlang workload returned as one comma-separated string, nanoseconds. */
    static long[] parse(String printed) {
        String text = printed.strip();
        if (text.startsWith("\"")) {
            text = text.substring(1, text.length() - 1);
        }
        if (text.isEmpty()) {
            return new long[0];
        }
        return Arrays.stream(text.split(",")).mapToLong(Long::parseLong).toArray();
    }

    private static long rank(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double us(long nanos) {
        return nanos / 1000.0;
    }
}
