package io.distgate.it.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.local.ErlangNode;
import io.distgate.it.harness.SshPair;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A cut and a heal of the WAN under an SSH tunnel (issue #4): keepalives find the silence, both
 * gateways close the session within dead_after (5 s), nodes on both sites see nodedown, and the
 * dialler reconnects once the WAN is back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshWanIT {

    private static final long DEAD_AFTER_MS = 5000;
    private SshPair sites;
    private ErlangNode a1;
    private ErlangNode b1;

    @BeforeAll
    void start() {
        sites = SshPair.start(NameMode.SHORT);
        a1 = sites.startNode(sites.siteA(), "a1");
        b1 = sites.startNode(sites.siteB(), "b1");
    }

    @AfterAll
    void stop() {
        sites.close();
    }

    @Test
    void cutGivesNodedownOnBothSitesWithinDeadAfterAndHealBringsTheTunnelBack() {
        assertThat(a1.eval("net_adm:ping('b1@localhost')")).isEqualTo("pong");
        a1.eval("dg_it:watch_node('b1@localhost')");
        b1.eval("dg_it:watch_node('a1@localhost')");
        long cutAtA = Long.parseLong(a1.eval("erlang:monotonic_time(millisecond)"));
        long cutAtB = Long.parseLong(b1.eval("erlang:monotonic_time(millisecond)"));
        sites.relay().cut();
        Duration bound = Duration.ofSeconds(30);
        long downA = Long.parseLong(a1.awaitEval("dg_it:node_down('b1@localhost')", r -> !r.equals("none"), bound));
        long downB = Long.parseLong(b1.awaitEval("dg_it:node_down('a1@localhost')", r -> !r.equals("none"), bound));
        System.out.printf("measured ssh: cut to nodedown: site a %d ms, site b %d ms (dead_after %d ms)%n",
                downA - cutAtA, downB - cutAtB, DEAD_AFTER_MS);
        assertThat(downA - cutAtA).as("ms from cut to nodedown on a1").isLessThanOrEqualTo(DEAD_AFTER_MS + 1000);
        assertThat(downB - cutAtB).as("ms from cut to nodedown on b1").isLessThanOrEqualTo(DEAD_AFTER_MS + 1000);

        long healed = System.nanoTime();
        sites.relay().heal();
        a1.awaitEval("net_adm:ping('b1@localhost')", "pong"::equals, bound);
        long backMillis = (System.nanoTime() - healed) / 1_000_000;
        System.out.printf("measured ssh: heal to a working session: %d ms (reconnect_max 1 s)%n", backMillis);
        assertThat(backMillis).as("ms from heal to a new session").isLessThan(3000);
        assertThat(b1.eval("net_adm:ping('a1@localhost')")).isEqualTo("pong");
    }
}
