package io.distgate.it.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.distgate.bridge.dist.NameMode;
import io.distgate.gateway.local.ErlangNode;
import io.distgate.gateway.local.GatewayProcess;
import io.distgate.gateway.local.NodeOptions;
import io.distgate.it.harness.PrometheusServer;
import io.distgate.it.harness.PrometheusServer.Target;
import io.distgate.it.harness.TestErlang;
import io.distgate.it.harness.TlsPair;
import io.distgate.it.harness.TlsProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The files under deploy/ against the real thing: promtool accepts the Prometheus configuration
 * and rules; every PromQL expression of the Grafana dashboard and of the alert rules names only
 * series that two running gateways export, and evaluates in a real Prometheus scraping them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeployFilesIT {

    private static final Duration DATA_BOUND = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path deploy = repositoryRoot().resolve("deploy");
    private final Path prometheusConfig = deploy.resolve("prometheus/prometheus.yml");
    private final Path alertRules = deploy.resolve("prometheus/alerts.yml");
    private final Path dashboardFile = deploy.resolve("grafana/distgate.json");

    private TlsPair sites;
    private ErlangNode a1;
    private ErlangNode b1;
    private PrometheusServer prometheus;
    private JsonNode dashboard;
    /** Names of the series in a scrape of both gateways, after the events the deploy files watch. */
    private final Set<String> exported = new TreeSet<>();

    @BeforeAll
    void start() throws Exception {
        dashboard = JSON.readTree(dashboardFile.toFile());
        sites = TlsPair.start(NameMode.SHORT);
        a1 = sites.startNode(sites.siteA(), "a1");
        b1 = sites.startNode(sites.siteB(), "b1");
        assertThat(a1.eval("net_adm:ping('" + sites.siteB().nodeName("b1") + "')")).isEqualTo("pong");
        causeHandshakeFailure();
        causeTunnelAuthFailure();
        for (String site : List.of("a", "b")) {
            exported.addAll(seriesNames(sites.gatewayOf(site).scrape()));
        }
        System.out.println("series exported by gateways a and b: " + exported);
        prometheus = PrometheusServer.start(List.of(target("a"), target("b")), List.of(alertRules));
    }

    @AfterAll
    void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (sites != null) {
            sites.close();
        }
    }

    /** A node of site a with a wrong cookie dials b1: gateway a counts a bad_cookie setup failure. */
    private void causeHandshakeFailure() {
        NodeOptions wrongCookie = new NodeOptions("a5", sites.siteA().nameMode(), "not-the-cookie-of-a",
                sites.siteA().epmd().port()).gateway(sites.nameService("a")).codePath(TestErlang.ebin());
        ErlangNode a5 = sites.siteA().startNode(wrongCookie);
        try {
            assertThat(a5.eval("net_adm:ping('" + sites.siteB().nodeName("b1") + "')")).isEqualTo("pang");
            assertThat(sites.gatewayOf("a").awaitLog("reason=bad_cookie", DATA_BOUND)).as("gateway a logs bad_cookie").isTrue();
        } finally {
            a5.stop();
        }
    }

    /** A TLS client without a certificate at gateway b's tunnel port: refused and counted. */
    private void causeTunnelAuthFailure() throws Exception {
        String address = sites.tunnelAddressB();
        int colon = address.lastIndexOf(':');
        try (TlsProbe probe = new TlsProbe()) {
            probe.connect(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)), null, null);
        }
        assertThat(sites.gatewayOf("b").awaitLog("tunnel refused transport=tls reason=no_certificate", DATA_BOUND))
                .as("gateway b logs the refused peer").isTrue();
    }

    private Target target(String site) {
        GatewayProcess gateway = sites.gatewayOf(site);
        int port = gateway.metricsPort().orElseThrow(() -> new IllegalStateException("gateway " + site + " serves no metrics"));
        return new Target("127.0.0.1:" + port, Map.of("site", site));
    }

    @Test
    void promtoolAcceptsThePrometheusConfigurationAndItsAlertRules() {
        PrometheusServer.ToolResult config = PrometheusServer.promtool("check", "config", prometheusConfig.toString());
        assertThat(config.exitCode()).as("promtool check config:\n%s", config.output()).isZero();
        PrometheusServer.ToolResult rules = PrometheusServer.promtool("check", "rules", alertRules.toString());
        assertThat(rules.exitCode()).as("promtool check rules:\n%s", rules.output()).isZero();
        assertThat(rules.output()).contains("SUCCESS: 5 rules found");
    }

    @Test
    void alertRulesHaveSeverityAndAnnotations() throws IOException {
        List<JsonNode> rules = alertRules();
        assertThat(rules).extracting(r -> r.path("alert").asText()).containsExactlyInAnyOrder(
                "DistgateTunnelDown", "DistgateCrossSiteRttHigh", "DistgateCertificateExpiring",
                "DistgateHandshakeFailuresRising", "DistgateTunnelAuthFailures");
        for (JsonNode rule : rules) {
            assertThat(rule.path("labels").path("severity").asText()).as("severity of %s", rule.path("alert"))
                    .isIn("critical", "warning");
            assertThat(rule.path("annotations").path("summary").asText()).as("summary of %s", rule.path("alert")).isNotBlank();
            assertThat(rule.path("annotations").path("description").asText()).as("description of %s", rule.path("alert"))
                    .isNotBlank();
        }
    }

    @Test
    void dashboardHasADatasourceVariableAndSitePairVariables() {
        assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
        Map<String, JsonNode> variables = new LinkedHashMap<>();
        dashboard.path("templating").path("list").forEach(v -> variables.put(v.path("name").asText(), v));
        assertThat(variables).containsKeys("datasource", "site", "peer_site");
        assertThat(variables.get("datasource").path("type").asText()).isEqualTo("datasource");
        assertThat(variables.get("datasource").path("query").asText()).isEqualTo("prometheus");
        for (String name : List.of("site", "peer_site")) {
            JsonNode v = variables.get(name);
            assertThat(v.path("type").asText()).as("type of $%s", name).isEqualTo("query");
            assertThat(v.path("datasource").path("uid").asText()).as("datasource of $%s", name).isEqualTo("${datasource}");
            assertThat(variableQuery(v)).as("query of $%s", name).startsWith("label_values(distgate_tunnel_up")
                    .endsWith(", " + name + ")");
        }
        assertThat(dashboard.path("panels")).isNotEmpty();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("datasource").path("uid").asText()).as("datasource of panel %s", panel.path("title"))
                    .isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as("targets of panel %s", panel.path("title")).isNotEmpty();
        }
    }

    @Test
    void everyExpressionNamesOnlySeriesTheGatewaysExport() throws IOException {
        Map<String, Set<String>> unknown = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : expressions().entrySet()) {
            Set<String> names = metricNames(e.getValue());
            System.out.println("series named by " + e.getKey() + ": " + names);
            assertThat(names).as("series named by %s: %s", e.getKey(), e.getValue()).isNotEmpty();
            names.removeAll(exported);
            if (!names.isEmpty()) {
                unknown.put(e.getKey() + ": " + e.getValue(), names);
            }
        }
        for (JsonNode v : dashboard.path("templating").path("list")) {
            Matcher m = Pattern.compile("label_values\\(\\s*([A-Za-z_:][A-Za-z0-9_:]*)").matcher(variableQuery(v));
            if (m.find() && !exported.contains(m.group(1))) {
                unknown.put("variable $" + v.path("name").asText(), Set.of(m.group(1)));
            }
        }
        assertThat(unknown).as("series not in the gateways' scrape %s", exported).isEmpty();
    }

    @Test
    void prometheusScrapesTheTunnelRoundTripsOfBothGateways() {
        JsonNode fromA = prometheus.awaitData("distgate_tunnel_rtt_seconds_count{peer_site=\"b\"}", DATA_BOUND);
        assertThat(fromA.path("data").path("result").get(0).path("metric").path("site").asText())
                .as("the target's site label").isEqualTo("a");
        JsonNode fromB = prometheus.awaitData("distgate_tunnel_rtt_seconds_count{peer_site=\"a\"}", DATA_BOUND);
        assertThat(fromB.path("data").path("result").get(0).path("metric").path("site").asText()).isEqualTo("b");
        JsonNode sessions = prometheus.awaitQuery("distgate_sessions_active",
                a -> a.path("data").path("result").findValuesAsText("site").containsAll(List.of("a", "b")), DATA_BOUND);
        assertThat(sessions.path("data").path("result").findValues("exported_site"))
                .as("with honor_labels the gateway's own site label is kept, not renamed").isEmpty();
    }

    @Test
    void crossSiteRttPanelShowsBothSitePairs() throws IOException {
        String p99 = expressions().get("panel 'Cross-site RTT p50 / p99' B");
        assertThat(p99).as("the dashboard's RTT p99 query").contains("histogram_quantile(0.99");
        // Until a ping lands between two scrapes the rate is 0/0 and the quantile NaN (Grafana draws a gap):
        // wait for a value for both pairs, then judge it.
        JsonNode answer = prometheus.awaitQuery(substituteVariables(p99),
                a -> peerSitesWithValues(a).containsAll(List.of("a", "b")), DATA_BOUND);
        for (JsonNode series : answer.path("data").path("result")) {
            double seconds = series.path("value").get(1).asDouble();
            assertThat(seconds).as("p99 RTT of %s on loopback", series.path("metric")).isGreaterThan(0).isLessThan(1);
        }
    }

    @Test
    void everyDashboardAndAlertExpressionEvaluatesInPrometheus() throws IOException {
        prometheus.awaitData("distgate_tunnel_up", DATA_BOUND);
        Map<String, String> failures = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : expressions().entrySet()) {
            String promql = substituteVariables(e.getValue());
            JsonNode answer = prometheus.query(promql);
            if (!"success".equals(answer.path("status").asText())) {
                failures.put(e.getKey() + ": " + promql, answer.toString());
            } else {
                System.out.println("evaluated " + e.getKey() + ": " + answer.path("data").path("result").size() + " series");
            }
        }
        assertThat(failures).as("expressions Prometheus refused").isEmpty();
    }

    @Test
    void alertRulesLoadIntoPrometheusAndEvaluateWithoutError() {
        List<String> names = new ArrayList<>();
        for (JsonNode group : prometheus.awaitRulesEvaluated(DATA_BOUND).path("data").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                names.add(rule.path("name").asText());
                assertThat(rule.path("health").asText()).as("health of %s: %s", rule.path("name"), rule.path("lastError"))
                        .isEqualTo("ok");
            }
        }
        assertThat(names).hasSize(5);
    }

    /** Every PromQL expression of the dashboard's panels and of the alert rules, by where it is. */
    private Map<String, String> expressions() throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                all.put("panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
                        target.path("expr").asText());
            }
        }
        for (JsonNode rule : alertRules()) {
            all.put("alert " + rule.path("alert").asText(), rule.path("expr").asText());
        }
        return all;
    }

    private List<JsonNode> alertRules() throws IOException {
        List<JsonNode> rules = new ArrayList<>();
        YAML.readTree(alertRules.toFile()).path("groups").forEach(g -> g.path("rules").forEach(rules::add));
        return rules;
    }

    /** A query variable's query: a string, or an object with {@code query} (newer Grafana). */
    private static String variableQuery(JsonNode variable) {
        JsonNode query = variable.path("query");
        return query.isTextual() ? query.asText() : query.path("query").asText();
    }

    /** As Grafana would send it: the rate interval 5m, every variable the regex {@code .*}. */
    private static Set<String> peerSitesWithValues(JsonNode answer) {
        Set<String> peers = new HashSet<>();
        for (JsonNode series : answer.path("data").path("result")) {
            if (!Double.isNaN(series.path("value").get(1).asDouble(Double.NaN))) {
                peers.add(series.path("metric").path("peer_site").asText());
            }
        }
        return peers;
    }

    static String substituteVariables(String expr) {
        return expr.replace("$__rate_interval", "5m").replace("${__rate_interval}", "5m")
                .replaceAll("\\$\\{?[A-Za-z_][A-Za-z0-9_]*}?", ".*");
    }

    private static final Pattern QUOTED = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'|`[^`]*`");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern TOKEN = Pattern.compile(
            "(?<number>\\d+(?:\\.\\d*)?(?:[eE][+-]?\\d+)?(?:ms|[smhdwy])*)|(?<name>[A-Za-z_:][A-Za-z0-9_:]*)");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan", "start", "end");

    /**
     * The metric names a PromQL expression selects: identifiers outside label matchers, ranges,
     * strings and grouping clauses that are neither a function or aggregation (followed by
     * {@code (}) nor a keyword.
     */
    static Set<String> metricNames(String expr) {
        String bare = QUOTED.matcher(expr).replaceAll("\"\"");
        bare = bare.replaceAll("\\{[^}]*}", "{}").replaceAll("\\[[^\\]]*]", "[]");
        bare = GROUPING.matcher(bare).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = TOKEN.matcher(bare);
        while (m.find()) {
            String name = m.group("name");
            if (name == null || KEYWORDS.contains(name.toLowerCase())) {
                continue;
            }
            String rest = bare.substring(m.end()).stripLeading();
            if (!rest.startsWith("(")) {
                names.add(name);
            }
        }
        return names;
    }

    /** The names of the samples in a Prometheus text scrape. */
    static Set<String> seriesNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    /** The checkout: the nearest directory above the working directory that holds deploy/. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/prometheus")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no deploy/prometheus above " + Path.of("").toAbsolutePath());
    }
}
