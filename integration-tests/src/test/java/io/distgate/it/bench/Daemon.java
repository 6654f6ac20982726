package io.distgate.it.bench;

import io.distgate.gateway.local.LogRing;
import io.distgate.gateway.local.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A tunnel process the benchmark starts itself (an {@code ssh -N -L} client, a {@code stunnel}),
 * in the foreground so it is owned by PID, with its output kept for readiness checks and errors.
 * A JVM shutdown hook stops whatever is still running if the run is interrupted.
 */
final class Daemon implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final int LOG_LINES = 300;
    private static final Set<Daemon> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Daemon::close), "bench-daemon-backstop"));
    }

    private final String label;
    private final Process process;
    private final LogRing log = new LogRing(LOG_LINES);

    private Daemon(String label, Process process) {
        this.label = label;
        this.process = process;
        Processes.pump(process.getInputStream(), "bench-" + label, log::add, log::close);
    }

    static Daemon start(String label, Path workDir, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            Daemon daemon = new Daemon(label, process);
            LIVE.add(daemon);
            return daemon;
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + label + " (" + String.join(" ", command) + ") failed", e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits, at most {@code bound}, for an output line containing {@code text}; false if the process ended first. */
    boolean awaitLog(String text, Duration bound) {
        return log.await(text, bound);
    }

    boolean logContains(String text) {
        return log.contains(text);
    }

    String logTail(int lines) {
        return log.tail(lines);
    }

    /** SIGTERM, then SIGKILL after a grace period; by PID. */
    @Override
    public void close() {
        LIVE.remove(this);
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return label + " (pid " + process.pid() + ")";
    }
}
