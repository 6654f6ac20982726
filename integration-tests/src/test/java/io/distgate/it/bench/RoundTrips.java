package io.distgate.it.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Round trips of a small term ({@code {Pid, ping}} and back) from A to an echo process on B, one at a time. */
final class RoundTrips {

    static final String WORKLOAD = "rtt";
    private static final Duration EVAL_BOUND = Duration.ofMinutes(5);

    private final Map<String, List<long[]>> samples = new LinkedHashMap<>();

    void round(BenchPath path, int count) {
        String printed = path.a().eval("dg_bench:rtt(" + path.bAtom() + ", " + count + ")", EVAL_BOUND);
        samples.computeIfAbsent(path.id(), id -> new ArrayList<>()).add(Stats.parse(printed));
    }

    List<Measurement> results() {
        List<Measurement> out = new ArrayList<>();
        samples.forEach((path, parts) -> {
            Stats s = Stats.of(parts);
            out.add(Measurement.of(WORKLOAD, path).put("term", "{Pid, ping}").put("samples", s.samples())
                    .put("p50_us", s.p50Us()).put("p99_us", s.p99Us()).put("max_us", s.maxUs()).build());
        });
        return out;
    }
}
