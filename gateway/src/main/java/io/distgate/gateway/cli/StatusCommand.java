package io.distgate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distgate.gateway.config.ConfigLoader;
import io.distgate.gateway.config.GatewayConfig;
import io.distgate.gateway.config.HostPort;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code distgate status}: a running gateway's {@code /status} view as tables. */
@Command(name = "status", description = "Show a running gateway's tunnels, sessions and recent refusals.")
final class StatusCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, description = "the gateway's configuration file (its metrics.listen is asked)")
    Path config;

    @Option(names = "--url", description = "the gateway's metrics endpoint instead, e.g. http://127.0.0.1:9464")
    String url;

    @Option(names = "--json", description = "print the JSON as served")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String base = base();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/status"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(base + "/status answered HTTP " + response.statusCode());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(response.body());
            return 0;
        }
        JsonNode root = new ObjectMapper().readTree(response.body());
        JsonNode g = root.get("gateway");
        out.printf("gateway %s: sites %s, up %ss%n%n", base, g.get("sites"), g.get("uptime_seconds"));
        table(out, "TUNNELS", List.of("peer_site", "up", "role", "since", "last_rtt_ms", "security"), root.get("tunnels"));
        table(out, "SESSIONS", List.of("site", "peer_site", "role", "pair", "sessions", "since"), root.get("sessions"));
        table(out, "RECENT REFUSALS", List.of("at", "site", "where", "reason", "detail"), root.get("recent_refusals"));
        return 0;
    }

    private String base() {
        if (url != null) {
            return url.replaceAll("/+$", "").replaceAll("/metrics$", "");
        }
        if (config == null) {
            throw new IllegalStateException("give --config FILE or --url URL");
        }
        GatewayConfig cfg = ConfigLoader.load(config);
        HostPort address = cfg.metrics().address();
        if (address == null || address.port() == 0) {
            throw new IllegalStateException(config + ": metrics.listen is " + cfg.metrics().listen()
                    + ", so the endpoint cannot be found from the file; give --url");
        }
        String host = address.host().equals("0.0.0.0") || address.host().equals("::") ? "127.0.0.1" : address.host();
        return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.port();
    }

    private static void table(PrintWriter out, String title, List<String> columns, JsonNode rows) {
        out.printf("%s (%d)%n", title, rows.size());
        if (rows.isEmpty()) {
            out.println("  (none)");
            out.println();
            return;
        }
        List<List<String>> cells = new ArrayList<>();
        cells.add(columns);
        rows.forEach(row -> cells.add(columns.stream().map(c -> row.hasNonNull(c) ? row.get(c).asText() : "-").toList()));
        int[] widths = new int[columns.size()];
        for (List<String> r : cells) {
            for (int i = 0; i < r.size(); i++) {
                widths[i] = Math.min(60, Math.max(widths[i], r.get(i).length()));
            }
        }
        for (List<String> r : cells) {
            StringBuilder line = new StringBuilder(" ");
            for (int i = 0; i < r.size(); i++) {
                String v = r.get(i).length() > 60 ? r.get(i).substring(0, 57) + "..." : r.get(i);
                line.append(' ').append(i == r.size() - 1 ? v : String.format("%-" + widths[i] + "s", v));
            }
            out.println(line);
        }
        out.println();
    }
}
