package io.distgate.gateway.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Starts and stops the harness's child processes, always through their own
 * {@link Process} handle (that is, by PID), never by name.
 *
 * <p>A JVM shutdown hook is the backstop for a test that forgets {@code close()} or a
 * run that is interrupted: it kills what is still alive of what the harness started,
 * and removes the harness's temporary directories.
 */
public final class Processes {
    private static final Duration FORCED_EXIT_BOUND = Duration.ofSeconds(5);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final List<Path> TEMP_DIRS = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Processes::backstop, "distgate-harness-backstop"));
    }

    private Processes() {
    }

    static Process start(ProcessBuilder builder) {
        try {
            Process process = builder.start();
            LIVE.add(process);
            process.onExit().thenRun(() -> LIVE.remove(process));
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + builder.command() + " failed", e);
        }
    }

    /** SIGTERM, and SIGKILL if the process has not exited within {@code grace}. */
    static void terminate(Process process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(process, grace)) {
            kill(process);
        }
    }

    /** SIGKILL, then wait (bounded) until the kernel has reaped the process. */
    static void kill(Process process) {
        process.destroyForcibly();
        if (!awaitExit(process, FORCED_EXIT_BOUND)) {
            throw new IllegalStateException("process " + process.pid() + " survived SIGKILL for " + FORCED_EXIT_BOUND);
        }
    }

    /** Sends a signal (e.g. STOP, CONT) to a process the harness started, by PID. */
    static void signal(Process process, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("kill -" + signal + " " + process.pid() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + process.pid(), e);
        }
    }

    static boolean awaitExit(Process process, Duration bound) {
        try {
            return process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** Reads a child's output on a daemon thread, line by line, until the pipe closes. */
    public static Thread pump(InputStream stream, String threadName, Consumer<String> onLine, Runnable onEnd) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    onLine.accept(line);
                }
            } catch (IOException e) {
                onLine.accept("harness: reading " + threadName + " failed: " + e);
            } finally {
                onEnd.run();
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    public static Path tempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            TEMP_DIRS.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("creating a temporary directory failed", e);
        }
    }

    private static void backstop() {
        LIVE.forEach(Process::destroyForcibly);
        TEMP_DIRS.forEach(Processes::deleteTree);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Best effort while the JVM exits: a leftover temporary file is harmless.
        }
    }
}
