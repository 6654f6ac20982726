package io.distgate.it.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.local.ErlangNode;
import io.distgate.gateway.local.NodeOptions;
import io.distgate.it.harness.LocalBridge;
import io.distgate.it.harness.TestErlang;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Long names ({@code -name a1@127.0.0.1}) work like short ones (the scenarios use short names);
 * a node of the other mode gets a fast, clear refusal instead of a hang.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NameModesIT {

    private LocalBridge sites;
    private ErlangNode a1;
    private ErlangNode b1;

    @BeforeAll
    void start() {
        sites = LocalBridge.start(NameMode.LONG);
        a1 = sites.startNode(sites.siteA(), "a1");
        b1 = sites.startNode(sites.siteB(), "b1");
        b1.eval("dg_it:start_echo(echo)");
    }

    @AfterAll
    void stop() {
        sites.close();
    }

    @Test
    void longNamesCrossSitesBothWays() {
        assertThat(a1.eval("net_adm:ping('b1@127.0.0.1')")).isEqualTo("pong");
        assertThat(b1.eval("net_adm:ping('a1@127.0.0.1')")).isEqualTo("pong");
        assertThat(a1.eval("dg_it:ask({echo, 'b1@127.0.0.1'}, long_names, 5000)")).isEqualTo("long_names");
        assertThat(a1.eval("rpc:call('b1@127.0.0.1', erlang, node, [])")).isEqualTo("'b1@127.0.0.1'");
        assertThat(a1.eval("nodes(hidden)")).contains("b1@127.0.0.1");
    }

    @Test
    void shortNameNodeInALongNameSiteIsRefusedQuicklyWithAClearReason() {
        NodeOptions shortName = new NodeOptions("a7", NameMode.SHORT, "cookie-of-site-a", sites.siteA().epmd().port())
                .gateway(sites.nameService("a")).codePath(TestErlang.ebin());
        ErlangNode a7 = sites.siteA().startNode(shortName);
        String timed = a7.eval("T0 = erlang:monotonic_time(millisecond), R = net_adm:ping('b1@localhost'), "
                + "{R, erlang:monotonic_time(millisecond) - T0}");
        assertThat(timed).startsWith("{pang,");
        assertThat(Long.parseLong(timed.substring(6, timed.length() - 1))).as("ms to pang").isLessThan(1000);
        assertThat(sites.gatewayOf("a").awaitLog("reason=name_mode_mismatch", Duration.ofSeconds(5))).isTrue();
        assertThat(sites.gatewayOf("a").logContains("uses longnames but b1@localhost is a shortnames name")).isTrue();
        a7.stop();
    }
}
