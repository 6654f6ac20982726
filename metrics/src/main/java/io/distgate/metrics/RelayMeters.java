package io.distgate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Relay counters for one site pair, resolved when the pair is first seen: recording a packet
 * is two array lookups and two adds, with no allocation (issue #5: off the hot path's budget).
 */
public final class RelayMeters {

    /** Direction index: 0 = out (from this site's node towards the peer site), 1 = in. */
    public static final String[] DIRECTIONS = {"out", "in"};

    private final Counter[] bytes = new Counter[2];
    private final Counter[][] messages;

    RelayMeters(MeterRegistry registry, String site, String peerSite, String[] opLabels) {
        messages = new Counter[2][opLabels.length];
        for (int d = 0; d < 2; d++) {
            bytes[d] = Counter.builder(Meters.RELAY_BYTES).baseUnit("bytes")
                    .description("Distribution bytes relayed, length fields included, ticks excluded")
                    .tags("site", site, "peer_site", peerSite, "direction", DIRECTIONS[d]).register(registry);
            for (int op = 0; op < opLabels.length; op++) {
                if (opLabels[op] != null) {
                    messages[d][op] = Counter.builder(Meters.RELAY_MESSAGES)
                            .description("Distribution messages relayed, by control message operation")
                            .tags("site", site, "peer_site", peerSite, "direction", DIRECTIONS[d], "op", opLabels[op])
                            .register(registry);
                }
            }
            for (int op = 0; op < opLabels.length; op++) {
                if (messages[d][op] == null) {
                    messages[d][op] = messages[d][0];
                }
            }
        }
    }

    public void packet(int direction, int op, long packetBytes) {
        Counter[] byOp = messages[direction];
        (op >= 0 && op < byOp.length ? byOp[op] : byOp[0]).increment();
        bytes[direction].increment(packetBytes);
    }
}
