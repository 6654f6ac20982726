package io.distgate.it.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.local.ErlangNode;
import io.distgate.gateway.local.GatewayProcess;
import io.distgate.it.harness.Prom;
import io.distgate.it.harness.TlsPair;
import io.distgate.it.harness.TwoSites;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What operators see (issue #5): every series of the catalogue on a scrape of the two-gateway
 * topology with traffic running, with sane values; the {@code /status} view and
 * {@code distgate status}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsIT {

    private TlsPair sites;
    private ErlangNode a1;
    private ErlangNode b1;
    private GatewayProcess gwA;
    private GatewayProcess gwB;

    @BeforeAll
    void start() {
        sites = TlsPair.start(NameMode.SHORT);
        a1 = sites.startNode(sites.siteA(), "a1");
        b1 = sites.startNode(sites.siteB(), "b1");
        gwA = sites.gatewayOf("a");
        gwB = sites.gatewayOf("b");
        assertThat(a1.eval("net_adm:ping('b1@localhost')")).isEqualTo("pong");
        // A few PINGs so the RTT histogram has samples.
        gwA.awaitLog("tunnel up", Duration.ofSeconds(5));
        a1.awaitEval("ok", s -> Prom.sum(gwA.scrape(), "distgate_tunnel_rtt_seconds_count", Map.of("peer_site", "b")) >= 2,
                Duration.ofSeconds(20));
    }

    @AfterAll
    void stop() {
        sites.close();
    }

    @Test
    void everyCatalogueSeriesIsExportedWithSaneValues() {
        String a = gwA.scrape();
        String b = gwB.scrape();
        assertThat(Prom.sum(a, "distgate_tunnel_up", Map.of("peer_site", "b"))).isEqualTo(1.0);
        assertThat(Prom.sum(b, "distgate_tunnel_up", Map.of("peer_site", "a"))).isEqualTo(1.0);
        assertThat(Prom.sum(a, "distgate_tunnel_rtt_seconds_count", Map.of("peer_site", "b"))).isGreaterThanOrEqualTo(2);
        assertThat(Prom.sum(a, "distgate_tunnel_rtt_seconds_sum", Map.of("peer_site", "b"))).isPositive();
        assertThat(Prom.has(a, "distgate_tunnel_rtt_seconds_bucket")).isTrue();
        assertThat(Prom.has(a, "distgate_tunnel_reconnects_total")).isTrue();
        assertThat(Prom.sum(a, "distgate_sessions_active", Map.of("site", "a", "peer_site", "b"))).isGreaterThanOrEqualTo(1);
        assertThat(Prom.sum(b, "distgate_sessions_active", Map.of("site", "b", "peer_site", "a"))).isGreaterThanOrEqualTo(1);
        assertThat(Prom.sum(a, "distgate_session_setup_seconds_count", Map.of("site", "a", "outcome", "ok"))).isGreaterThanOrEqualTo(1);
        assertThat(Prom.has(a, "distgate_session_setup_seconds_bucket")).isTrue();
        assertThat(Prom.has(a, "distgate_sessions_closed_total")).isTrue();
        assertThat(Prom.has(a, "distgate_handshake_failures_total")).isTrue();
        assertThat(Prom.has(a, "distgate_tunnel_auth_failures_total")).isTrue();
        assertThat(Prom.has(a, "distgate_flow_control_stalls_total")).isTrue();
        assertThat(Prom.sum(a, "distgate_tls_certificate_expiry_seconds", Map.of("role", "leaf"))).isGreaterThan(TimeUnit.DAYS.toSeconds(800));
        assertThat(Prom.sum(a, "distgate_tls_certificate_expiry_seconds", Map.of("role", "ca"))).isGreaterThan(TimeUnit.DAYS.toSeconds(3000));
        assertThat(Prom.has(a, "jvm_memory_used_bytes")).isTrue();
        assertThat(Prom.has(a, "jvm_gc_pause_seconds_count")).isTrue();
        assertThat(a).as("Netty allocator meters").contains("netty_allocator_memory_used");
    }

    @Test
    void relayBytesRiseAndRegSendsAreCountedOnBothGateways() {
        b1.eval("dg_it:start_sink(metrics_sink)");
        Map<String, String> outA = Map.of("site", "a", "peer_site", "b", "direction", "out");
        Map<String, String> inB = Map.of("site", "b", "peer_site", "a", "direction", "in");
        Map<String, String> regSendOutA = Map.of("site", "a", "direction", "out", "op", "reg_send");
        Map<String, String> regSendInB = Map.of("site", "b", "direction", "in", "op", "reg_send");
        double bytesA = Prom.sum(gwA.scrape(), "distgate_relay_bytes_total", outA);
        double bytesB = Prom.sum(gwB.scrape(), "distgate_relay_bytes_total", inB);
        double sendsA = Prom.sum(gwA.scrape(), "distgate_relay_messages_total", regSendOutA);
        double sendsB = Prom.sum(gwB.scrape(), "distgate_relay_messages_total", regSendInB);

        a1.eval("dg_it:reg_send_n(metrics_sink, 'b1@localhost', 100)");
        a1.eval("{metrics_sink, 'b1@localhost'} ! binary:copy(<<1>>, 1048576)");
        b1.awaitEval("dg_it:sink_count(metrics_sink)", "101"::equals, Duration.ofSeconds(10));

        assertThat(Prom.sum(gwA.scrape(), "distgate_relay_messages_total", regSendOutA) - sendsA).isEqualTo(101.0);
        assertThat(Prom.sum(gwB.scrape(), "distgate_relay_messages_total", regSendInB) - sendsB).isEqualTo(101.0);
        assertThat(Prom.sum(gwA.scrape(), "distgate_relay_bytes_total", outA) - bytesA).isGreaterThan(1_048_576);
        assertThat(Prom.sum(gwB.scrape(), "distgate_relay_bytes_total", inB) - bytesB).isGreaterThan(1_048_576);
    }

    @Test
    void statusViewShowsTheTunnelItsRoundTripAndTheSessions() throws Exception {
        int port = gwA.metricsPort().orElseThrow();
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        JsonNode status = new ObjectMapper().readTree(body);
        JsonNode tunnel = status.get("tunnels").get(0);
        assertThat(tunnel.get("peer_site").asText()).isEqualTo("b");
        assertThat(tunnel.get("up").asBoolean()).isTrue();
        assertThat(tunnel.get("last_rtt_ms").asDouble()).isPositive();
        assertThat(tunnel.get("security").asText()).startsWith("TLSv1.3");
        assertThat(status.get("sessions").toString()).contains("a1@localhost -> b1@localhost");

        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
                TwoSites.jar().toString(), "status", "--url", "http://127.0.0.1:" + port).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String table = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as(table).isZero();
        assertThat(table).contains("TUNNELS (1)").contains("dialled").contains("SESSIONS").contains("a1@localhost -> b1@localhost");
    }
}
