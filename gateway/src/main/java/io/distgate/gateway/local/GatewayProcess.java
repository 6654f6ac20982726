package io.distgate.gateway.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code distgate run} process on this machine (demo and tests), owned by PID. It counts as
 * started when it logs {@code gateway ready}; its log lines are kept for assertions.
 */
public final class GatewayProcess implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("gateway ready sites=(\\S*) metrics=(\\S+)");
    private static final Pattern METRICS_PORT = Pattern.compile("http://[^:]+:(\\d+)/metrics");
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final String label;
    private final Process process;
    private final LogRing log = new LogRing(5000);
    private volatile String readyLine;

    private GatewayProcess(String label, Process process) {
        this.label = label;
        this.process = process;
        java.io.PrintWriter copy = logCopy(label);
        Processes.pump(process.getInputStream(), "gateway-" + label, line -> {
            log.add(line);
            if (copy != null) {
                copy.println(line);
                copy.flush();
            }
            if (readyLine == null && READY.matcher(line).find()) {
                readyLine = line;
            }
        }, log::close);
    }

    /**
     * With the system property {@code distgate.logs} set to a directory, each gateway's whole
     * log is also written there (the integration tests keep them under target/ for CI).
     */
    private static java.io.PrintWriter logCopy(String label) {
        String dir = System.getProperty("distgate.logs");
        if (dir == null) {
            return null;
        }
        try {
            java.nio.file.Files.createDirectories(Path.of(dir));
            Path file = Path.of(dir, "gateway-" + label + "-" + System.currentTimeMillis() + ".log");
            return new java.io.PrintWriter(java.nio.file.Files.newBufferedWriter(file), true);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Starts {@code java -jar jar run --config config} and waits until it is ready.
     *
     * @param jvmArgs extra JVM options, e.g. {@code -Xmx256m}
     */
    public static GatewayProcess start(String label, Path jar, Path config, Duration readyBound, String... jvmArgs) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of(jvmArgs));
        command.addAll(List.of("-jar", jar.toString(), "run", "--config", config.toString()));
        GatewayProcess gateway = new GatewayProcess(label, Processes.start(new ProcessBuilder(command).redirectErrorStream(true)));
        Deadline deadline = Deadline.after(readyBound);
        while (gateway.readyLine == null && gateway.process.isAlive() && !deadline.expired()) {
            deadline.pauseBetweenProbes(Duration.ofMillis(20));
        }
        if (gateway.readyLine == null) {
            gateway.close();
            throw new IllegalStateException("gateway " + label + " did not become ready within " + readyBound
                    + " (exit " + (gateway.process.isAlive() ? "none" : gateway.process.exitValue()) + ")\n" + gateway.log.tail(40));
        }
        return gateway;
    }

    public String label() {
        return label;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The metrics endpoint's port, if the gateway serves one. */
    public Optional<Integer> metricsPort() {
        Matcher m = METRICS_PORT.matcher(readyLine);
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    /** The Prometheus text of {@code /metrics}. */
    public String scrape() {
        int port = metricsPort().orElseThrow(() -> new IllegalStateException("gateway " + label + " has no metrics endpoint"));
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("scraping gateway " + label + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scraping gateway " + label, e);
        }
    }

    public boolean logContains(String text) {
        return log.contains(text);
    }

    /** Waits (bounded) until a log line contains {@code text}: the log is read on another thread. */
    public boolean awaitLog(String text, Duration bound) {
        return log.await(text, bound);
    }

    public List<String> logLines() {
        return log.lines();
    }

    public String logTail(int lines) {
        return log.tail(lines);
    }

    /** Resident memory of the process in bytes, from {@code /proc/PID/status}. */
    public long residentBytes() {
        return ProcStatus.residentBytes(process.pid());
    }

    /** SIGTERM (the gateway closes every connection), SIGKILL after a bound. */
    public void stop() {
        Processes.terminate(process, STOP_GRACE);
    }

    /** SIGKILL: a crash. */
    public void kill() {
        Processes.kill(process);
    }

    @Override
    public void close() {
        stop();
    }
}
