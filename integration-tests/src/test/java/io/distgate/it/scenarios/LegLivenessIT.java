package io.distgate.it.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.local.ErlangNode;
import io.distgate.it.harness.LocalBridge;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Liveness per leg (D7): the gateway ticks and watches each leg at its own site's
 * net_ticktime. Site A keeps OTP's default 60 s; site B runs at 4 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LegLivenessIT {

    private static final int FAST_TICKTIME = 4;
    private LocalBridge sites;

    @BeforeAll
    void start() {
        sites = LocalBridge.start(NameMode.SHORT, "", "    net_ticktime: " + FAST_TICKTIME + "s\n");
    }

    @AfterAll
    void stop() {
        sites.close();
    }

    private ErlangNode nodeB(String alive) {
        return sites.siteB().startNode(sites.options(sites.siteB(), alive).netTicktime(FAST_TICKTIME));
    }

    @Test
    void gatewayTicksKeepAnIdleConnectionUpLongerThanTheTicktime() {
        ErlangNode a1 = sites.startNode(sites.siteA(), "a1");
        ErlangNode b1 = nodeB("b1");
        assertThat(a1.eval("net_adm:ping('b1@localhost')")).isEqualTo("pong");
        b1.eval("dg_it:watch_node('a1@localhost')");
        a1.eval("dg_it:watch_node('b1@localhost')");
        // What is tested is that nothing happens: the connection stays idle for three of b1's
        // ticktimes. Without the gateway's ticks b1 would drop it after one.
        int idleMillis = 3 * FAST_TICKTIME * 1000;
        b1.eval("timer:sleep(" + idleMillis + ")", Duration.ofMillis(idleMillis + 10_000));
        assertThat(b1.eval("dg_it:node_down('a1@localhost')")).as("b1 saw a1 go down while idle").isEqualTo("none");
        assertThat(a1.eval("dg_it:node_down('b1@localhost')")).as("a1 saw b1 go down while idle").isEqualTo("none");
        assertThat(b1.eval("lists:member('a1@localhost', nodes(hidden))")).isEqualTo("true");
    }

    @Test
    void gatewayCutsALegWhoseNodeStopsTicking() {
        ErlangNode a2 = sites.startNode(sites.siteA(), "a2");
        ErlangNode b2 = nodeB("b2");
        assertThat(a2.eval("net_adm:ping('b2@localhost')")).isEqualTo("pong");
        a2.eval("dg_it:watch_node('b2@localhost')");
        long stoppedAt = Long.parseLong(a2.eval("erlang:monotonic_time(millisecond)"));
        b2.suspend();
        try {
            // a2's own ticktime is 60 s; only the gateway, watching b2 at 4 s, can tell it this soon.
            String downAt = a2.awaitEval("dg_it:node_down('b2@localhost')", r -> !r.equals("none"), Duration.ofSeconds(15));
            long millis = Long.parseLong(downAt) - stoppedAt;
            assertThat(millis).as("ms from SIGSTOP of b2 to nodedown on a2").isBetween(2000L, 9000L);
            assertThat(sites.gatewayOf("b").awaitLog("net_tick_timeout", Duration.ofSeconds(5))).isTrue();
        } finally {
            b2.resume();
        }
    }
}
