package io.distgate.bridge.epmd;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real epmd in the foreground on a free port, for interop tests. Never the default 4369: a
 * developer's or CI's epmd may own it. Stopped by its own PID in {@link #stop()}.
 */
final class RealEpmd {

    static final String INSTALL_HINT = "apt-get install -y erlang-base";

    /** Printed by {@code epmd -d -d} once it listens ({@code epmd_srv.c} run()). */
    private static final String READY_LINE = "entering the main select() loop";
    private static final int START_ATTEMPTS = 5;
    private static final long START_DEADLINE_SECONDS = 10;
    private static final int KEPT_OUTPUT_LINES = 40;

    private final Process process;
    private final int port;
    private final Deque<String> output;

    private RealEpmd(Process process, int port, Deque<String> output) {
        this.process = process;
        this.port = port;
        this.output = output;
    }

    int port() {
        return port;
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /**
     * Starts epmd, retrying on another port if the probed one was taken in between: epmd then
     * prints "there is already a epmd running" and exits, so an exit before the ready line means
     * "try again", never "use whatever answers on that port".
     */
    static RealEpmd start() throws IOException, InterruptedException {
        Path epmd = findOnPath("epmd");
        String lastFailure = "";
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = freePort();
            ProcessBuilder builder = new ProcessBuilder(epmd.toString(), "-port", Integer.toString(port), "-d", "-d")
                    .redirectErrorStream(true);
            builder.environment().keySet().removeIf(name -> name.startsWith("ERL_EPMD_"));
            Process process = builder.start();
            Deque<String> output = new ArrayDeque<>();
            CompletableFuture<Boolean> ready = new CompletableFuture<>();
            Thread reader = new Thread(() -> drain(process, output, ready), "epmd-" + port + "-output");
            reader.setDaemon(true);
            reader.start();
            process.onExit().thenRun(() -> ready.complete(false));
            boolean up;
            try {
                up = ready.get(START_DEADLINE_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                up = false;
            }
            if (up && process.isAlive()) {
                return new RealEpmd(process, port, output);
            }
            terminate(process);
            lastFailure = "attempt " + attempt + " on port " + port + ": " + snapshot(output);
        }
        return fail("epmd did not start after " + START_ATTEMPTS + " attempts; last " + lastFailure);
    }

    /** Finds a program the way a shell does; fails, naming the package, when it is missing. */
    static Path findOnPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("'" + program + "' is not on PATH (" + path + "); this test needs Erlang/OTP: " + INSTALL_HINT);
    }

    /** Binds port 0 and gives the port back; the caller races anyone else for it (see start()). */
    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static void drain(Process process, Deque<String> output, CompletableFuture<Boolean> ready) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (output) {
                    output.addLast(line);
                    if (output.size() > KEPT_OUTPUT_LINES) {
                        output.removeFirst();
                    }
                }
                if (line.contains(READY_LINE)) {
                    ready.complete(true);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(new UncheckedIOException(e));
        }
    }

    private static List<String> snapshot(Deque<String> output) {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** Recent epmd output, for assertion messages. */
    String recentOutput() {
        return String.join("\n", snapshot(output));
    }

    /** Ends this epmd (SIGTERM to its PID, then SIGKILL if it lingers); call from {@code @AfterAll}. */
    void stop() throws InterruptedException {
        terminate(process);
    }

    private static void terminate(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
