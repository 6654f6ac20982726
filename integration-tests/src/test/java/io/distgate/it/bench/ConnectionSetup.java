package io.distgate.it.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Connection setup: A drops its connection to B, both sides see it gone, then A times a ping,
 * which has to look B up and run the whole handshake (through the tunnel or gateways) again.
 */
final class ConnectionSetup {

    static final String WORKLOAD = "connect";
    private static final Duration GONE_BOUND = Duration.ofSeconds(10);

    private final Map<String, List<long[]>> samples = new LinkedHashMap<>();

    void round(BenchPath path, int count) {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            path.a().eval("dg_bench:disconnect(" + path.bAtom() + ")");
            path.b().awaitEval("dg_bench:connected(" + path.aAtom() + ")", "false"::equals, GONE_BOUND);
            nanos[i] = Long.parseLong(path.a().eval("dg_bench:timed_ping(" + path.bAtom() + ")"));
        }
        samples.computeIfAbsent(path.id(), id -> new ArrayList<>()).add(nanos);
    }

    List<Measurement> results() {
        List<Measurement> out = new ArrayList<>();
        samples.forEach((path, parts) -> {
            Stats s = Stats.of(parts);
            out.add(Measurement.of(WORKLOAD, path).put("samples", s.samples())
                    .put("p50_us", s.p50Us()).put("p99_us", s.p99Us()).put("max_us", s.maxUs()).build());
        });
        return out;
    }
}
