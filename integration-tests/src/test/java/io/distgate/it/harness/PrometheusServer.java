package io.distgate.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distgate.gateway.local.FreePorts;
import io.distgate.gateway.local.Processes;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A real Prometheus server for tests, owned by PID: its own free port, its own storage directory
 * and a generated configuration scraping the given targets every second. Binaries come from the
 * Debian package {@code prometheus}, installed when missing and running as root.
 */
public final class PrometheusServer implements AutoCloseable {

    /** The Debian command that provides {@code prometheus} and {@code promtool}. */
    public static final String INSTALL_COMMAND = "apt-get install -y --no-install-recommends prometheus";

    private static final Duration READY_BOUND = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration PROBE_PAUSE = Duration.ofMillis(100);
    private static final int START_ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One scrape target: {@code host:port} of a {@code /metrics} endpoint and the labels Prometheus adds. */
    public record Target(String hostPort, Map<String, String> labels) {
    }

    private final Process process;
    private final int port;
    private final Path log;
    private final Thread backstop;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.backstop = new Thread(process::destroyForcibly, "prometheus-backstop");
        Runtime.getRuntime().addShutdownHook(backstop);
    }

    /**
     * Starts Prometheus scraping {@code targets} every second (job {@code distgate}, labels of
     * the target kept as scraped where the gateway sets them: {@code honor_labels}, as in
     * deploy/prometheus/prometheus.yml) and loading {@code ruleFiles}; returns once
     * {@code /-/ready} answers 200.
     */
    public static PrometheusServer start(List<Target> targets, List<Path> ruleFiles) {
        Path prometheus = binary("prometheus");
        Path dir = Processes.tempDir("distgate-prometheus");
        Path config = dir.resolve("prometheus.yml");
        write(config, config(targets, ruleFiles));
        String failures = "";
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            // A port free when probed can be taken before Prometheus binds it: then it exits, and
            // the next attempt draws another port.
            int port = FreePorts.probe();
            Path storage = dir.resolve("data-" + attempt);
            Path log = dir.resolve("prometheus-" + attempt + ".log");
            Process process = startProcess(List.of(prometheus.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + storage,
                    "--web.listen-address=127.0.0.1:" + port), log);
            PrometheusServer server = new PrometheusServer(process, port, log);
            if (server.awaitReady(READY_BOUND)) {
                return server;
            }
            failures += "\nattempt " + attempt + " on port " + port + " (exit "
                    + (process.isAlive() ? "none" : process.exitValue()) + "):\n" + server.logTail(20);
            server.close();
        }
        throw new IllegalStateException("prometheus did not become ready at /-/ready within " + READY_BOUND
                + " in " + START_ATTEMPTS + " attempts" + failures);
    }

    /**
     * The path of {@code prometheus} or {@code promtool}. When missing and running as root, runs
     * {@value #INSTALL_COMMAND} (with {@code DEBIAN_FRONTEND=noninteractive}); otherwise fails
     * naming that command.
     */
    public static synchronized Path binary(String name) {
        Optional<Path> found = onPath(name);
        if (found.isPresent()) {
            return found.get();
        }
        if (!isRoot()) {
            throw new IllegalStateException(name + " not found on PATH; install it as root with: " + INSTALL_COMMAND);
        }
        String output = install();
        reportForeignDaemons();
        return onPath(name).orElseThrow(() -> new IllegalStateException(name + " still not found after `"
                + INSTALL_COMMAND + "`; run it by hand to see why. Its output:\n" + output));
    }

    /** Runs {@code promtool args...}; returns its exit code and combined output. */
    public static ToolResult promtool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary("promtool").toString());
        command.addAll(List.of(args));
        return run(command, Map.of(), Duration.ofSeconds(60));
    }

    /** Exit code and combined output of a short command. */
    public record ToolResult(int exitCode, String output) {
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * {@code GET /api/v1/query?query=promql}, parsed: the whole answer ({@code status},
     * {@code data.resultType}, {@code data.result}, or {@code errorType} and {@code error}),
     * whatever the HTTP status.
     */
    public JsonNode query(String promql) {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    /** {@code GET path} on this server, parsed as JSON. */
    public JsonNode get(String pathAndQuery) {
        String body = fetch(pathAndQuery).body();
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("prometheus answered " + pathAndQuery + " with non-JSON: " + body, e);
        }
    }

    /**
     * Polls {@code promql} until its answer satisfies {@code accept}; returns that answer, or
     * throws with the last answer once {@code bound} has passed.
     */
    public JsonNode awaitQuery(String promql, Predicate<JsonNode> accept, Duration bound) {
        long end = System.nanoTime() + bound.toNanos();
        JsonNode last = query(promql);
        while (!accept.test(last)) {
            if (System.nanoTime() - end >= 0) {
                throw new IllegalStateException("query " + promql + " did not give the expected answer within "
                        + bound + "; last answer: " + last);
            }
            pauseBetweenProbes();
            last = query(promql);
        }
        return last;
    }

    /** Polls {@code promql} until its result has at least one series; returns the answer. */
    public JsonNode awaitData(String promql, Duration bound) {
        return awaitQuery(promql, a -> "success".equals(a.path("status").asText()) && a.path("data").path("result").size() > 0,
                bound);
    }

    /**
     * Polls {@code /api/v1/rules} until every loaded rule has been evaluated at least once (its
     * health is no longer {@code unknown}); returns that answer.
     */
    public JsonNode awaitRulesEvaluated(Duration bound) {
        long end = System.nanoTime() + bound.toNanos();
        JsonNode rules = get("/api/v1/rules");
        while (!evaluated(rules)) {
            if (System.nanoTime() - end >= 0) {
                throw new IllegalStateException("rules not all evaluated within " + bound + ": " + rules);
            }
            pauseBetweenProbes();
            rules = get("/api/v1/rules");
        }
        return rules;
    }

    private static boolean evaluated(JsonNode rules) {
        List<String> health = rules.path("data").path("groups").findValuesAsText("health");
        return !health.isEmpty() && !health.contains("unknown");
    }

    /** The last lines Prometheus logged. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return all.subList(Math.max(0, all.size() - lines), all.size()).stream().collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM by PID, SIGKILL if it has not exited within a bound. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (!awaitExit(process, STOP_GRACE)) {
                process.destroyForcibly();
                awaitExit(process, STOP_GRACE);
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(backstop);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs anyway; the process is gone.
        }
    }

    private boolean awaitReady(Duration bound) {
        long end = System.nanoTime() + bound.toNanos();
        while (process.isAlive() && System.nanoTime() - end < 0) {
            try {
                if (http.send(HttpRequest.newBuilder(uri("/-/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for prometheus", e);
            }
            pauseBetweenProbes();
        }
        return false;
    }

    private HttpResponse<String> fetch(String pathAndQuery) {
        try {
            return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + pathAndQuery + " on prometheus (pid " + pid() + ") failed\n"
                    + logTail(20), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + pathAndQuery, e);
        }
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    static String config(List<Target> targets, List<Path> ruleFiles) {
        StringBuilder yaml = new StringBuilder()
                .append("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n");
        if (!ruleFiles.isEmpty()) {
            yaml.append("rule_files:\n");
            ruleFiles.forEach(f -> yaml.append("  - ").append(quoted(f.toAbsolutePath().toString())).append('\n'));
        }
        yaml.append("scrape_configs:\n  - job_name: distgate\n    honor_labels: true\n    static_configs:\n");
        for (Target t : targets) {
            yaml.append("      - targets: [").append(quoted(t.hostPort())).append("]\n");
            if (!t.labels().isEmpty()) {
                yaml.append("        labels: {").append(t.labels().entrySet().stream()
                        .map(e -> e.getKey() + ": " + quoted(e.getValue())).collect(Collectors.joining(", "))).append("}\n");
            }
        }
        return yaml.toString();
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static Optional<Path> onPath(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/bin", "/usr/local/bin", "/usr/sbin"));
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    }

    private static boolean isRoot() {
        ToolResult id = run(List.of("id", "-u"), Map.of(), Duration.ofSeconds(10));
        return id.exitCode() == 0 && id.output().trim().equals("0");
    }

    /**
     * Installs the package. Its postinst may try to start a prometheus service: without systemd
     * (and with a policy-rc.d) that fails harmlessly. A daemon it did start would not be ours: it
     * is left alone, and the servers here never share its port or storage.
     */
    private static String install() {
        Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
        ToolResult first = run(List.of("sh", "-c", INSTALL_COMMAND), env, Duration.ofMinutes(10));
        if (first.exitCode() == 0) {
            return first.output();
        }
        // Package lists may be missing or stale on a fresh machine.
        ToolResult update = run(List.of("apt-get", "update"), env, Duration.ofMinutes(10));
        ToolResult second = run(List.of("sh", "-c", INSTALL_COMMAND), env, Duration.ofMinutes(10));
        if (second.exitCode() != 0) {
            throw new IllegalStateException("prometheus is missing and `" + INSTALL_COMMAND + "` failed (exit "
                    + second.exitCode() + "):\n" + first.output() + update.output() + second.output());
        }
        return second.output();
    }

    /**
     * A prometheus daemon that the package's postinst managed to start is not ours: it is named on
     * stderr and left running; the servers here use their own port and storage directory.
     */
    private static void reportForeignDaemons() {
        ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/prometheus")).orElse(false))
                .forEach(p -> System.err.println("prometheus harness: a prometheus daemon (pid " + p.pid()
                        + ") is running since the package was installed; not started by the tests, left alone"));
    }

    private static Process startProcess(List<String> command, Path log) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + command + " failed", e);
        }
    }

    private static ToolResult run(List<String> command, Map<String, String> env, Duration bound) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            Path out = Files.createTempFile("distgate-tool", ".out");
            try {
                Process p = builder.redirectOutput(out.toFile()).start();
                if (!p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    awaitExit(p, STOP_GRACE);
                    throw new IllegalStateException(command + " did not finish within " + bound + ":\n" + Files.readString(out));
                }
                return new ToolResult(p.exitValue(), Files.readString(out));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("running " + command + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + " failed", e);
        }
    }

    private static boolean awaitExit(Process process, Duration bound) {
        try {
            return process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** Spaces out the probes of a polled condition; never how a caller waits for something. */
    private static void pauseBetweenProbes() {
        try {
            TimeUnit.MILLISECONDS.sleep(PROBE_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while polling prometheus", e);
        }
    }
}
