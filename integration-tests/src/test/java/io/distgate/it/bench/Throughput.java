package io.distgate.it.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One-way throughput: senders on A stream binaries of one size to sinks on B for a fixed time.
 * The rate is what B received over B's own clock (first message to last end marker); the CPU
 * time of every process on the path is read before and after each run, in total and for the
 * carriers alone (what is between the two nodes: tunnels, gateways).
 */
final class Throughput {

    static final String WORKLOAD = "throughput";
    private static final Duration EVAL_MARGIN = Duration.ofMinutes(3);

    record Point(int size, int senders) {
    }

    /** Sums over the rounds of one point on one path. */
    private static final class Totals {
        long bytes;
        long msgs;
        long nanos;
        double cpuSeconds;
        double carrierCpuSeconds;
        final List<Double> roundRates = new ArrayList<>();
    }

    private final Map<String, Map<Point, Totals>> totals = new LinkedHashMap<>();

    /** Runs one point once; returns MB/s of this run. */
    double round(BenchPath path, Point point, Duration time) {
        List<Long> pids = path.processes();
        List<Long> carriers = pids.stream().filter(pid -> pid != path.a().pid() && pid != path.b().pid()).toList();
        double cpuBefore = ProcCpu.seconds(pids);
        double carrierBefore = ProcCpu.seconds(carriers);
        String printed = path.a().eval("dg_bench:throughput(" + path.bAtom() + ", " + point.size() + ", " + point.senders()
                + ", " + time.toMillis() + ")", time.plus(EVAL_MARGIN));
        double cpu = ProcCpu.seconds(pids) - cpuBefore;
        double carrierCpu = ProcCpu.seconds(carriers) - carrierBefore;
        Map<String, String> r = ErlMap.parse(printed);
        Totals t = totals.computeIfAbsent(path.id(), id -> new LinkedHashMap<>()).computeIfAbsent(point, p -> new Totals());
        long bytes = ErlMap.number(r, "bytes");
        long nanos = ErlMap.number(r, "nanos");
        t.bytes += bytes;
        t.msgs += ErlMap.number(r, "msgs");
        t.nanos += nanos;
        t.cpuSeconds += cpu;
        t.carrierCpuSeconds += carrierCpu;
        double rate = nanos > 0 ? bytes * 1e3 / nanos : 0;
        t.roundRates.add(rate);
        return rate;
    }

    List<Measurement> results() {
        List<Measurement> out = new ArrayList<>();
        totals.forEach((path, points) -> points.forEach((point, t) -> {
            double seconds = t.nanos / 1e9;
            out.add(Measurement.of(WORKLOAD, path).put("size", point.size()).put("senders", point.senders())
                    .put("rounds", t.roundRates.size()).put("seconds", seconds).put("bytes", t.bytes).put("msgs", t.msgs)
                    .put("mb_per_s", seconds > 0 ? t.bytes / 1e6 / seconds : Double.NaN)
                    .put("msgs_per_s", seconds > 0 ? t.msgs / seconds : Double.NaN)
                    .put("cpu_s", t.cpuSeconds)
                    .put("cpu_s_per_gb", t.bytes > 0 ? t.cpuSeconds / (t.bytes / 1e9) : Double.NaN)
                    .put("carrier_cpu_s_per_gb", t.bytes > 0 ? t.carrierCpuSeconds / (t.bytes / 1e9) : Double.NaN)
                    .put("round_mb_per_s", t.roundRates.stream().map(r -> String.format(java.util.Locale.ROOT, "%.1f", r))
                            .reduce((x, y) -> x + " " + y).orElse(""))
                    .build());
        }));
        return out;
    }
}
