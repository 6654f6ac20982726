package io.distgate.it.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.local.ErlangNode;
import io.distgate.it.harness.Prom;
import io.distgate.it.harness.TlsPair;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The WAN between two gateways (issue #3, D7): delay, a cut, a heal, a stall shorter than
 * dead_after, head-of-line isolation between streams, and a gateway restart. The relay sits
 * between gateway A (dialling) and gateway B; tunnel defaults: PING every 1 s, dead after 5 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class TlsWanIT {

    private static final long DEAD_AFTER_MS = 5000;
    private static final Duration BOUND = Duration.ofSeconds(30);

    private TlsPair sites;
    private ErlangNode a1;
    private ErlangNode a2;
    private ErlangNode b1;
    private ErlangNode b2;

    @BeforeAll
    void start() {
        sites = TlsPair.start(NameMode.SHORT);
        a1 = sites.startNode(sites.siteA(), "a1");
        a2 = sites.startNode(sites.siteA(), "a2");
        b1 = sites.startNode(sites.siteB(), "b1");
        b2 = sites.startNode(sites.siteB(), "b2");
        for (ErlangNode n : new ErlangNode[] {b1, b2}) {
            n.eval("dg_it:start_echo(echo)");
        }
    }

    @AfterEach
    void clearWan() {
        sites.relay().delay(Duration.ZERO);
    }

    @AfterAll
    void stop() {
        sites.close();
    }

    private void connect(ErlangNode from, String to) {
        assertThat(from.eval("net_adm:ping('" + to + "')")).isEqualTo("pong");
    }

    @Test
    @Order(1)
    void pingAndTenMegabytesCrossAFiftyMillisecondWan() {
        sites.relay().delay(Duration.ofMillis(25));
        a1.eval("erlang:disconnect_node('b1@localhost')");
        String timed = a1.eval("T0 = erlang:monotonic_time(millisecond), R = net_adm:ping('b1@localhost'), "
                + "{R, erlang:monotonic_time(millisecond) - T0}");
        assertThat(timed).startsWith("{pong,");
        assertThat(a1.eval("dg_it:big_roundtrip({echo, 'b1@localhost'}, 10000000)", Duration.ofSeconds(60))).isEqualTo("true");
        String rtt = a1.eval("{T, _} = timer:tc(fun() -> dg_it:ask({echo, 'b1@localhost'}, x, 5000) end), T div 1000");
        assertThat(Long.parseLong(rtt)).as("message round trip in ms over a 50 ms WAN").isBetween(50L, 200L);
    }

    @Test
    @Order(2)
    void largeMessagesOnOnePairDoNotHoldBackAnotherPairsRoundTrips() {
        sites.relay().delay(Duration.ofMillis(25));
        connect(a1, "b1@localhost");
        connect(a2, "b2@localhost");
        b1.eval("dg_it:start_drain(bulk)");
        a1.eval("persistent_term:put(dg_bulk, dg_it:send_bulk_until_stopped({bulk, 'b1@localhost'}, 8388608))");
        // 200 small round trips between another node pair while the 8 MiB messages flow.
        String samples = a2.eval("[element(1, timer:tc(fun() -> dg_it:ask({echo, 'b2@localhost'}, I, 5000) end))"
                + " || I <- lists:seq(1, 200)]", Duration.ofSeconds(60));
        String bulk = a1.eval("dg_it:bulk_status(persistent_term:get(dg_bulk))");
        a1.eval("persistent_term:get(dg_bulk) ! stop");
        long[] micros = Arrays.stream(samples.substring(1, samples.length() - 1).split(","))
                .mapToLong(Long::parseLong).sorted().toArray();
        long p99 = micros[(int) Math.ceil(micros.length * 0.99) - 1];
        System.out.printf("measured tls: small round trips during 8 MiB transfers over a 50 ms WAN: p50 %d us, p99 %d us"
                + " (bulk sender %s at the end)%n", micros[micros.length / 2], p99, bulk);
        assertThat(bulk).as("the 8 MiB transfer was still running during the probe").isNotEqualTo("done");
        assertThat(p99 - 50_000).as("p99 minus the relay's 50 ms, in microseconds").isLessThan(50_000);
        b1.eval("exit(whereis(bulk), kill)");
    }

    @Test
    @Order(3)
    void stallShorterThanDeadAfterLosesNothingAndRaisesNoNodedown() {
        connect(a1, "b1@localhost");
        a1.eval("dg_it:watch_node('b1@localhost')");
        b1.eval("dg_it:watch_node('a1@localhost')");
        b1.eval("dg_it:start_collector(during_stall, 5000)");
        sites.relay().stall(Duration.ofSeconds(2));
        a1.eval("dg_it:send_seq({during_stall, 'b1@localhost'}, 5000)");
        b1.awaitEval("dg_it:collected(during_stall)", r -> !r.equals("pending"), BOUND);
        assertThat(b1.eval("dg_it:collected(during_stall)")).isEqualTo("{in_order,5000}");
        assertThat(a1.eval("dg_it:node_down('b1@localhost')")).isEqualTo("none");
        assertThat(b1.eval("dg_it:node_down('a1@localhost')")).isEqualTo("none");
    }

    @Test
    @Order(4)
    void cutGivesNodedownOnBothSitesWithinDeadAfterAndHealBringsTheTunnelBack() {
        connect(a1, "b1@localhost");
        a1.eval("dg_it:watch_node('b1@localhost')");
        b1.eval("dg_it:watch_node('a1@localhost')");
        long cutAtA = Long.parseLong(a1.eval("erlang:monotonic_time(millisecond)"));
        long cutAtB = Long.parseLong(b1.eval("erlang:monotonic_time(millisecond)"));
        sites.relay().cut();
        long downA = Long.parseLong(a1.awaitEval("dg_it:node_down('b1@localhost')", r -> !r.equals("none"), BOUND));
        long downB = Long.parseLong(b1.awaitEval("dg_it:node_down('a1@localhost')", r -> !r.equals("none"), BOUND));
        System.out.printf("measured tls: cut to nodedown: site a %d ms, site b %d ms (dead_after %d ms)%n",
                downA - cutAtA, downB - cutAtB, DEAD_AFTER_MS);
        assertThat(downA - cutAtA).as("ms from cut to nodedown on a1").isLessThanOrEqualTo(DEAD_AFTER_MS + 1000);
        assertThat(downB - cutAtB).as("ms from cut to nodedown on b1").isLessThanOrEqualTo(DEAD_AFTER_MS + 1000);

        // While the peer is unreachable, lookups fail at once: pang fast, no hang.
        String timed = a1.eval("T0 = erlang:monotonic_time(millisecond), R = net_adm:ping('b1@localhost'), "
                + "{R, erlang:monotonic_time(millisecond) - T0}");
        assertThat(timed).startsWith("{pang,");
        assertThat(Long.parseLong(timed.substring(6, timed.length() - 1))).as("ms to pang while cut").isLessThan(1000);

        long healed = System.nanoTime();
        sites.relay().heal();
        a1.awaitEval("net_adm:ping('b1@localhost')", "pong"::equals, BOUND);
        long backMillis = (System.nanoTime() - healed) / 1_000_000;
        System.out.printf("measured tls: heal to a working session: %d ms (reconnect_max 1 s)%n", backMillis);
        assertThat(backMillis).as("ms from heal to a new session (backoff capped at 1 s, plus 2 s)").isLessThan(3000);
        assertThat(Prom.sum(sites.gatewayOf("a").scrape(), "distgate_tunnel_reconnects_total", Map.of("peer_site", "b")))
                .isPositive();
    }

    @Test
    @Order(5)
    void restartOfOneGatewayGivesNodedownAndConnectsAgainWhenItIsBack() {
        connect(b2, "a2@localhost");
        b2.eval("dg_it:watch_node('a2@localhost')");
        sites.gatewayOf("a").stop();
        b2.awaitEval("dg_it:node_down('a2@localhost')", r -> !r.equals("none"), BOUND);
        sites.startGateway("a");
        sites.awaitTunnel();
        b2.awaitEval("net_adm:ping('a2@localhost')", "pong"::equals, BOUND);
        assertThat(b2.eval("dg_it:ask({echo, 'b1@localhost'}, same_site_unaffected, 5000)")).isEqualTo("same_site_unaffected");
        assertThat(Prom.sum(sites.gatewayOf("b").scrape(), "distgate_tunnel_up", Map.of("peer_site", "a"))).isEqualTo(1.0);
    }
}
