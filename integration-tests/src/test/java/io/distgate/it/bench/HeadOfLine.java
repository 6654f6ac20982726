package io.distgate.it.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Head-of-line probe: while one sender on A streams 8 MiB binaries to B, small
 * {@code erpc:call}s to B run back to back; their latency is what a small request suffers behind
 * bulk traffic. The calls come from A itself, on the stream's own connection (workload
 * {@value #WORKLOAD}), or from A's second node A2, on a connection of its own (workload
 * {@value #OTHER_PAIR}): over distgate another stream of the same tunnel. A call that takes
 * {@value #CALL_TIMEOUT_MS} ms counts as that long and ends the round's probe; a stream that does
 * not drain within 3 s once stopped counts as a stalled round (no bulk rate).
 */
final class HeadOfLine {

    static final String WORKLOAD = "hol";
    static final String OTHER_PAIR = "hol_other_pair";
    private static final long WARMUP_MS = 300;
    /** dg_bench's HOL_CALL_TIMEOUT_MS: a call this slow counts as this long and ends that round's probe. */
    static final long CALL_TIMEOUT_MS = 2_000;
    private static final Duration EVAL_MARGIN = Duration.ofMinutes(3);

    private final boolean fromOtherPair;
    private final Map<String, List<long[]>> samples = new LinkedHashMap<>();
    private final Map<String, long[]> bulk = new LinkedHashMap<>();

    /** @param fromOtherPair whether the calls come from A2 rather than A */
    HeadOfLine(boolean fromOtherPair) {
        this.fromOtherPair = fromOtherPair;
    }

    static boolean isProbe(String workload) {
        return workload.equals(WORKLOAD) || workload.equals(OTHER_PAIR);
    }

    void round(BenchPath path, Duration time) {
        String prober = "'" + (fromOtherPair ? path.a2() : path.a()).name() + "'";
        String printed = path.a().eval("dg_bench:hol(" + path.bAtom() + ", " + BenchSettings.HOL_BIG + ", " + WARMUP_MS
                + ", " + time.toMillis() + ", " + prober + ")", time.plus(EVAL_MARGIN));
        Map<String, String> r = ErlMap.parse(printed);
        samples.computeIfAbsent(path.id(), id -> new ArrayList<>()).add(Stats.parse(r.get("samples")));
        long[] b = bulk.computeIfAbsent(path.id(), id -> new long[4]);
        b[0] += ErlMap.number(r, "bytes");
        b[1] += ErlMap.number(r, "nanos");
        b[2] += ErlMap.number(r, "timeouts");
        b[3] += ErlMap.number(r, "stalled");
    }

    List<Measurement> results() {
        List<Measurement> out = new ArrayList<>();
        samples.forEach((path, parts) -> {
            Stats s = Stats.of(parts);
            long[] b = bulk.get(path);
            out.add(Measurement.of(fromOtherPair ? OTHER_PAIR : WORKLOAD, path).put("big_bytes", BenchSettings.HOL_BIG).put("samples", s.samples())
                    .put("p50_us", s.p50Us()).put("p99_us", s.p99Us()).put("max_us", s.maxUs())
                    .put("bulk_mb_per_s", b[1] > 0 ? b[0] * 1e3 / b[1] : Double.NaN)
                    .put("timed_out_calls", b[2]).put("call_timeout_ms", CALL_TIMEOUT_MS)
                    .put("stalled_rounds", b[3]).build());
        });
        return out;
    }
}
