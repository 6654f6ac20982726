package io.distgate.it.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
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
    private final ArrayDeque<String> log = new ArrayDeque<>();
    private boolean outputClosed;

    private Daemon(String label, Process process) {
        this.label = label;
        this.process = process;
        Thread pump = new Thread(this::pump, "bench-" + label);
        pump.setDaemon(true);
        pump.start();
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
    synchronized boolean awaitLog(String text, Duration bound) {
        long end = System.nanoTime() + bound.toNanos();
        try {
            while (log.stream().noneMatch(line -> line.contains(text))) {
                long left = end - System.nanoTime();
                if (left <= 0 || outputClosed) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    synchronized boolean logContains(String text) {
        return log.stream().anyMatch(line -> line.contains(text));
    }

    synchronized String logTail(int lines) {
        StringBuilder out = new StringBuilder();
        log.stream().skip(Math.max(0, log.size() - lines)).forEach(line -> out.append("    | ").append(line).append('\n'));
        return out.length() == 0 ? "    | (no output)\n" : out.toString();
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

    private void pump() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                add(line);
            }
        } catch (IOException e) {
            add("bench: reading " + label + " failed: " + e);
        } finally {
            synchronized (this) {
                outputClosed = true;
                notifyAll();
            }
        }
    }

    private synchronized void add(String line) {
        if (log.size() == LOG_LINES) {
            log.removeFirst();
        }
        log.addLast(line);
        notifyAll();
    }
}
