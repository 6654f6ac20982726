package io.distgate.it.bench;

import io.distgate.it.bench.DistgatePath.Variant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * One benchmark run: starts every path, runs each workload in rounds that visit the paths in
 * alternating order, writes one JSON line per measurement and the Markdown report, and stops
 * everything it started. A path that cannot start is reported and the others still run; the run
 * fails at the end, naming it. Numbers never fail a run.
 */
final class BenchRun {

    private static final int START_PARALLELISM = 4;
    private static final Duration WARM_UP = Duration.ofMillis(400);
    private static final Duration WARM_UP_JIT = Duration.ofMillis(1000);

    private final BenchSettings settings;
    private final String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    private final Path jsonl;
    private final List<Measurement> results = new ArrayList<>();
    private final Map<String, String> failures = new LinkedHashMap<>();
    /** Workloads that started on a machine busier than {@link MachineLoad#QUIET}, with how busy. */
    private final Map<String, Double> busyBefore = new LinkedHashMap<>();
    private final long started = System.nanoTime();

    BenchRun(BenchSettings settings) {
        this.settings = settings;
        this.jsonl = settings.out().resolve("results.jsonl");
    }

    /** Runs everything; returns the final {@code bench:} line. */
    String run() {
        try {
            Files.createDirectories(settings.out());
            Files.deleteIfExists(jsonl);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        progress("mode=" + settings.mode() + " out=" + settings.out());
        BenchFiles files = BenchFiles.create();
        List<BenchPath> paths = startPaths(files);
        String line;
        try {
            if (paths.isEmpty()) {
                throw new IllegalStateException("no path could start: " + failures);
            }
            Measurement.Builder machine = Measurement.of("machine", "-").put("mode", settings.mode())
                    .put("busy_before_start_pct", 100 * MachineLoad.busy(Duration.ofSeconds(1)));
            Machine.describe(paths.get(0).a()).forEach(machine::put);
            machine.put("gateway_jvm", String.join(" ", settings.gatewayJvmArgs()));
            record(machine.build());
            runWorkloads(paths);
            runSessions(paths);
            progress("sessions done");
            runProfile(files);
            if (!busyBefore.isEmpty()) {
                Measurement.Builder busy = Measurement.of("machine_busy", "-");
                busyBefore.forEach((what, share) -> busy.put(what.replace(' ', '_') + "_pct", 100 * share));
                record(busy.build());
            }
            line = Report.write(settings, results, failures, paths, elapsed());
        } finally {
            closeAll(paths);
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("these configurations could not run:\n" + String.join("\n", failures.values()));
        }
        return line;
    }

    /** Whether to run a workload: all unless {@code bench.workloads} lists some (rtt, connect, throughput, hol, sessions). */
    private static boolean selected(String workload) {
        String only = System.getProperty("bench.workloads", "");
        return only.isBlank() || List.of(only.split(",")).contains(workload);
    }

    /**
     * Before anything is measured, every path carries some traffic of each kind (not recorded): the
     * gateways' JIT compiles the relay path, and TCP's buffers grow to their working size.
     */
    private void warmUp(List<BenchPath> paths) {
        Throughput discarded = new Throughput();
        for (BenchPath path : paths) {
            // The gateways' JIT needs the longer warm-up; nodes and tunnels are ready at once.
            Duration time = path.gateways().isEmpty() ? WARM_UP : WARM_UP_JIT;
            attempt(path, "warm-up", () -> {
                new RoundTrips().round(path, 1000);
                discarded.round(path, new Throughput.Point(BenchSettings.SMALL, 1), time);
                discarded.round(path, new Throughput.Point(BenchSettings.BULK, 1), time);
            });
        }
        progress("warmed up");
    }

    /**
     * Waits for a quiet machine before a workload; when it does not get quiet, says so and names the
     * paths whose processes are busy (a tunnel or a node spinning would skew every path's numbers).
     */
    private void settle(String before, List<BenchPath> paths) {
        double busy = MachineLoad.settle();
        if (busy <= MachineLoad.QUIET) {
            return;
        }
        busyBefore.put(before, busy);
        Map<String, Double> start = new LinkedHashMap<>();
        paths.forEach(p -> start.put(p.id(), ProcCpu.seconds(p.processes())));
        double window = MachineLoad.busy(Duration.ofSeconds(1)) * Runtime.getRuntime().availableProcessors();
        StringBuilder who = new StringBuilder();
        for (BenchPath p : paths) {
            double cores = ProcCpu.seconds(p.processes()) - start.get(p.id());
            if (cores >= 0.05) {
                who.append(String.format(java.util.Locale.ROOT, " %s %.2f cores;", p.id(), cores));
            }
        }
        progress(String.format(java.util.Locale.ROOT, "the machine is %.0f %% busy before %s (%.2f cores:%s the rest elsewhere)",
                100 * busy, before, window, who));
    }

    private void runWorkloads(List<BenchPath> paths) {
        warmUp(paths);
        settle("round trips", paths);
        RoundTrips rtt = new RoundTrips();
        ConnectionSetup setup = new ConnectionSetup();
        Throughput throughput = new Throughput();
        HeadOfLine hol = new HeadOfLine(false);
        HeadOfLine holOtherPair = new HeadOfLine(true);
        for (int round = 0; round < settings.rounds() && selected("rtt"); round++) {
            for (BenchPath path : rotated(paths, round)) {
                attempt(path, "rtt", () -> rtt.round(path, settings.rttPerRound()));
            }
        }
        results(rtt.results());
        progress("round trips done");
        settle("connection setup", paths);
        for (int round = 0; round < settings.rounds() && selected("connect"); round++) {
            for (BenchPath path : rotated(paths, round)) {
                attempt(path, "connection setup", () -> setup.round(path, settings.setupPerRound()));
            }
        }
        results(setup.results());
        progress("connection setup done");
        for (int size : settings.sizes()) {
            for (int senders : settings.senders()) {
                Throughput.Point point = new Throughput.Point(size, senders);
                settle("throughput " + size + " B x" + senders, paths);
                for (int r = 0; r < settings.rounds() && selected("throughput"); r++) {
                    int round = r;
                    for (BenchPath path : rotated(paths, round)) {
                        attempt(path, "throughput " + size + " B x" + senders, () -> {
                            double rate = throughput.round(path, point, settings.pointTime());
                            progress(String.format(java.util.Locale.ROOT, "throughput %s size=%d senders=%d round=%d %.1f MB/s",
                                    path.id(), size, senders, round + 1, rate));
                        });
                    }
                }
            }
        }
        results(throughput.results());
        progress("throughput done");
        settle("head-of-line probe", paths);
        for (int round = 0; round < settings.holRounds() && selected("hol"); round++) {
            for (BenchPath path : rotated(paths, round)) {
                attempt(path, "head-of-line probe", () -> hol.round(path, settings.holTime()));
                attempt(path, "head-of-line probe from another node pair", () -> holOtherPair.round(path, settings.holTime()));
            }
        }
        results(hol.results());
        results(holOtherPair.results());
        progress("head-of-line probe done");
    }

    private void runSessions(List<BenchPath> paths) {
        if (settings.sessions() <= 0 || !selected("sessions")) {
            return;
        }
        for (BenchPath path : paths) {
            if (path instanceof DistgatePath dg && settings.sessionPaths().contains(path.id())) {
                attempt(path, "sessions", () -> record(SessionFlood.run(dg, settings.sessions())));
            }
        }
    }

    private void runProfile(BenchFiles files) {
        if (settings.profileTime().isZero() || !settings.runs(Variant.TLS_OPENSSL.id)) {
            return;
        }
        try {
            results(GatewayProfile.run(files, settings));
        } catch (RuntimeException e) {
            failures.put("profile", "gateway profile: " + e.getMessage());
            progress("profile failed: " + e.getMessage());
        }
    }

    /** Every path of the run, started in parallel; one that fails is recorded and left out. */
    private List<BenchPath> startPaths(BenchFiles files) {
        Map<String, Supplier<BenchPath>> all = new LinkedHashMap<>();
        all.put("direct", () -> ErlangPath.direct(files));
        all.put("otp_tls", () -> ErlangPath.otpTls(files));
        all.put("ssh_tunnel", () -> new ForwardedPath("ssh_tunnel", "ssh -L (OpenSSH)", files, SshForward::start));
        all.put("stunnel", () -> new ForwardedPath("stunnel", "stunnel pair", files, port -> StunnelPair.start(files, port)));
        for (Variant v : Variant.values()) {
            all.put(v.id, () -> new DistgatePath(v, "", files, settings.gatewayJvmArgs(), ""));
        }
        settings.compare().forEach((suffix, words) -> {
            List<String> args = new ArrayList<>(settings.gatewayJvmArgs());
            Path jar = io.distgate.it.harness.TwoSites.jar();
            Variant v = Variant.TLS_OPENSSL;
            for (String word : words) {
                if (word.startsWith("jar=")) {
                    jar = Path.of(word.substring(4));
                } else if (word.startsWith("variant=")) {
                    v = Variant.valueOf(word.substring(8));
                } else {
                    args.add(word);
                }
            }
            Path gatewayJar = jar;
            Variant variant = v;
            all.put(v.id + "_" + suffix, () -> new DistgatePath(variant, "_" + suffix, files, args, "", gatewayJar));
        });
        ExecutorService pool = Executors.newFixedThreadPool(START_PARALLELISM);
        List<String> chosen = all.keySet().stream()
                .filter(id -> settings.runs(id) || settings.compare().keySet().stream().anyMatch(suffix -> id.endsWith("_" + suffix)))
                .toList();
        // Gateway JVMs take longest to start: they go first, and the paths of nodes alone start in
        // the remaining thread meanwhile. The table keeps the order of `all`.
        Map<String, Future<BenchPath>> starting = new LinkedHashMap<>();
        chosen.stream().filter(id -> id.startsWith("distgate")).forEach(id -> starting.put(id, pool.submit(all.get(id)::get)));
        chosen.stream().filter(id -> !id.startsWith("distgate")).forEach(id -> starting.put(id, pool.submit(all.get(id)::get)));
        List<BenchPath> paths = new ArrayList<>();
        chosen.forEach(id -> {
            Future<BenchPath> future = starting.get(id);
            try {
                BenchPath path = future.get();
                paths.add(path);
                progress("path up: " + id + " (" + path.label() + ")");
            } catch (ExecutionException e) {
                failures.put(id, id + ": did not start: " + e.getCause().getMessage());
                progress("path FAILED to start: " + id + ": " + e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting paths", e);
            }
        });
        pool.shutdown();
        return paths;
    }

    private void closeAll(List<BenchPath> paths) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, paths.size()));
        List<Future<?>> closing = new ArrayList<>();
        paths.forEach(p -> closing.add(pool.submit(p::close)));
        for (Future<?> f : closing) {
            try {
                f.get();
            } catch (ExecutionException e) {
                progress("stopping a path failed: " + e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pool.shutdown();
    }

    /** Runs one piece of a workload; a path that fails at it is reported and the run goes on. */
    private void attempt(BenchPath path, String what, Runnable work) {
        if (failures.containsKey(path.id())) {
            return;
        }
        try {
            work.run();
        } catch (RuntimeException | AssertionError e) {
            failures.put(path.id(), path.id() + ": " + what + " failed: " + e.getMessage());
            progress(path.id() + ": " + what + " FAILED: " + e.getMessage());
            // Its processes stop now: one left in a bad state must not load the machine under the others.
            path.close();
        }
    }

    /** Round r visits the paths starting at the r-th: A B C, B C A, C A B, ... */
    private static List<BenchPath> rotated(List<BenchPath> paths, int round) {
        List<BenchPath> order = new ArrayList<>(paths);
        java.util.Collections.rotate(order, -(round % Math.max(1, paths.size())));
        return order;
    }

    private void results(List<Measurement> measurements) {
        measurements.forEach(this::record);
    }

    private synchronized void record(Measurement m) {
        results.add(m);
        String json = m.json(runId);
        System.out.println(json);
        try {
            Files.writeString(jsonl, json + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static final long T0 = System.nanoTime();

    static void progress(String text) {
        System.out.printf(java.util.Locale.ROOT, "[bench] %5.1fs %s%n", (System.nanoTime() - T0) / 1e9, text);
    }
}
