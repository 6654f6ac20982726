package io.distgate.it.bench;

import io.distgate.it.bench.DistgatePath.Variant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The gateways under load with JDK Flight Recorder on, on a path of their own (the recorder's
 * overhead stays out of the table): 64 B messages, then 1 MiB messages, one sender each. From
 * the recordings: where the event-loop threads spend their samples, how many bytes they allocate
 * per relayed message, and whether any allocation sample falls in metric recording (issue #5).
 */
final class GatewayProfile {

    static final String WORKLOAD = "gateway_profile";
    static final String SUFFIX = "_jfr";
    private static final String EVENT_LOOP_PREFIX = "distgate-";
    private static final int TOP = 15;
    private static final String JFC = """
            <?xml version="1.0" encoding="UTF-8"?>
            <configuration version="2.0" label="distgate-bench">
              <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">10 ms</setting></event>
              <event name="jdk.NativeMethodSample"><setting name="enabled">true</setting><setting name="period">10 ms</setting></event>
              <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting><setting name="period">100 ms</setting></event>
              <event name="jdk.ObjectAllocationSample"><setting name="enabled">true</setting><setting name="throttle">1000/s</setting><setting name="stackTrace">true</setting></event>
              <event name="jdk.GarbageCollection"><setting name="enabled">true</setting><setting name="threshold">0 ms</setting></event>
            </configuration>
            """;

    private record Window(String name, int size, Instant start, Instant end, double msgsPerSecond, double mbPerSecond) {
    }

    private GatewayProfile() {
    }

    static List<Measurement> run(BenchFiles files, BenchSettings settings) {
        Path dir = settings.out().resolve("profile");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("bench.jfc"), JFC);
            for (String side : List.of("a", "b")) {
                Files.deleteIfExists(dir.resolve("gateway-" + side + ".jfr"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> jvm = new ArrayList<>(settings.gatewayJvmArgs());
        jvm.add("-XX:StartFlightRecording:filename=" + dir.resolve("gateway-" + DistgatePath.SIDE + ".jfr")
                + ",settings=" + dir.resolve("bench.jfc") + ",dumponexit=true");
        List<Window> windows = new ArrayList<>();
        DistgatePath path = new DistgatePath(Variant.TLS_OPENSSL, SUFFIX, files, jvm, "");
        try {
            Throughput throughput = new Throughput();
            for (int size : List.of(BenchSettings.SMALL, BenchSettings.BULK)) {
                // One unrecorded-in-the-results warm-up run, so the JIT has compiled the relay path.
                throughput.round(path, new Throughput.Point(size, 1), Duration.ofSeconds(1));
                Throughput measured = new Throughput();
                Instant start = Instant.now();
                measured.round(path, new Throughput.Point(size, 1), settings.profileTime());
                Instant end = Instant.now();
                Measurement m = measured.results().get(0);
                windows.add(new Window(Report.sizeName(size).replace(" ", ""), size, start, end, m.number("msgs_per_s"), m.number("mb_per_s")));
                BenchRun.progress(String.format(Locale.ROOT, "profile %s: %.1f MB/s, %.0f msgs/s", Report.sizeName(size),
                        m.number("mb_per_s"), m.number("msgs_per_s")));
            }
            path.stopGateways();
        } finally {
            path.close();
        }
        Measurement.Builder out = Measurement.of(WORKLOAD, path.id());
        StringBuilder text = new StringBuilder();
        for (String side : List.of("a", "b")) {
            Path recording = dir.resolve("gateway-" + side + ".jfr");
            List<RecordedEvent> events = read(recording);
            for (Window w : windows) {
                double allocRate = allocationRate(events, w);
                out.put("alloc_bytes_per_msg_" + (w.size == BenchSettings.SMALL ? "" : w.name + "_") + side,
                        w.msgsPerSecond > 0 ? allocRate / w.msgsPerSecond : Double.NaN);
                text.append("== gateway ").append(side).append(", ").append(w.name).append(" messages: ")
                        .append(String.format(Locale.ROOT, "%.1f MB/s, %.0f msgs/s, event loops allocate %.0f bytes/s%n",
                                w.mbPerSecond, w.msgsPerSecond, allocRate));
                text.append(topFrames(events, w));
                text.append(allocationSites(events, w));
            }
            Window small = windows.get(0);
            long[] samples = metricsAllocationSamples(events, small);
            out.put("alloc_samples_" + side, samples[0]).put("metrics_alloc_samples_" + side, samples[1]);
        }
        Measurement partial = out.build();
        out.put("alloc_samples", partial.number("alloc_samples_a") + partial.number("alloc_samples_b"))
                .put("metrics_alloc_samples", partial.number("metrics_alloc_samples_a") + partial.number("metrics_alloc_samples_b"))
                .put("recordings", dir.toString());
        try {
            Files.writeString(dir.resolve("profile.txt"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.print(text);
        return List.of(out.build());
    }

    private static List<RecordedEvent> read(Path recording) {
        try {
            return RecordingFile.readAllEvents(recording);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the flight recording " + recording + " failed", e);
        }
    }

    private static boolean in(RecordedEvent e, Window w) {
        return !e.getStartTime().isBefore(w.start) && !e.getStartTime().isAfter(w.end);
    }

    private static boolean onEventLoop(RecordedEvent e, String field) {
        var thread = e.getThread(field);
        return thread != null && thread.getJavaName() != null && thread.getJavaName().startsWith(EVENT_LOOP_PREFIX);
    }

    /**
     * Bytes per second the event-loop threads allocated in the window: per thread, the growth of
     * its allocation counter between its first and last statistics event in the window.
     */
    private static double allocationRate(List<RecordedEvent> events, Window w) {
        Map<Long, RecordedEvent[]> firstLast = new HashMap<>();
        for (RecordedEvent e : events) {
            if (e.getEventType().getName().equals("jdk.ThreadAllocationStatistics") && in(e, w) && onEventLoop(e, "thread")) {
                RecordedEvent[] fl = firstLast.computeIfAbsent(e.getThread("thread").getJavaThreadId(), id -> new RecordedEvent[2]);
                if (fl[0] == null || e.getStartTime().isBefore(fl[0].getStartTime())) {
                    fl[0] = e;
                }
                if (fl[1] == null || e.getStartTime().isAfter(fl[1].getStartTime())) {
                    fl[1] = e;
                }
            }
        }
        double rate = 0;
        for (RecordedEvent[] fl : firstLast.values()) {
            double seconds = Duration.between(fl[0].getStartTime(), fl[1].getStartTime()).toNanos() / 1e9;
            if (seconds > 0) {
                rate += (fl[1].getLong("allocated") - fl[0].getLong("allocated")) / seconds;
            }
        }
        return rate;
    }

    /** The methods on top of the stack of the event-loop threads' samples (Java and native). */
    private static String topFrames(List<RecordedEvent> events, Window w) {
        Map<String, Integer> counts = new HashMap<>();
        int total = 0;
        int idle = 0;
        for (RecordedEvent e : events) {
            String type = e.getEventType().getName();
            if ((type.equals("jdk.ExecutionSample") || type.equals("jdk.NativeMethodSample")) && in(e, w)
                    && onEventLoop(e, "sampledThread")) {
                RecordedStackTrace stack = e.getStackTrace();
                if (stack != null && !stack.getFrames().isEmpty()) {
                    String top = frame(stack.getFrames().get(0));
                    if (top.startsWith("io.netty.channel.epoll.Native.epollWait")) {
                        idle++;
                    } else {
                        counts.merge(top, 1, Integer::sum);
                        total++;
                    }
                }
            }
        }
        return ranked("   busy event-loop samples by top frame (" + idle + " more samples waiting in epoll_wait)", counts, total);
    }

    /** Allocation samples of the event-loop threads by the first distgate or Netty frame, weighted in bytes. */
    private static String allocationSites(List<RecordedEvent> events, Window w) {
        Map<String, Integer> weights = new HashMap<>();
        long total = 0;
        for (RecordedEvent e : events) {
            if (e.getEventType().getName().equals("jdk.ObjectAllocationSample") && in(e, w) && onEventLoop(e, "eventThread")) {
                RecordedStackTrace stack = e.getStackTrace();
                String site = stack == null ? "?" : stack.getFrames().stream()
                        .filter(f -> f.getMethod().getType().getName().startsWith("io.")).findFirst().map(GatewayProfile::frame)
                        .orElse(stack.getFrames().isEmpty() ? "?" : frame(stack.getFrames().get(0)));
                int kb = (int) Math.max(1, e.getLong("weight") / 1024);
                weights.merge(e.getClass("objectClass").getName() + " @ " + site, kb, Integer::sum);
                total += kb;
            }
        }
        return ranked("   event-loop allocation (KiB, sampled) by class @ first io.* frame", weights, total);
    }

    /** All allocation samples of the window, and those with metric recording on the stack. */
    private static long[] metricsAllocationSamples(List<RecordedEvent> events, Window w) {
        long all = 0;
        long metrics = 0;
        for (RecordedEvent e : events) {
            if (e.getEventType().getName().equals("jdk.ObjectAllocationSample") && in(e, w) && onEventLoop(e, "eventThread")) {
                all++;
                RecordedStackTrace stack = e.getStackTrace();
                if (stack != null && stack.getFrames().stream().anyMatch(f -> isMetrics(f.getMethod().getType().getName()))) {
                    metrics++;
                }
            }
        }
        return new long[] {all, metrics};
    }

    private static boolean isMetrics(String className) {
        return className.startsWith("io.distgate.metrics.") || className.startsWith("io.micrometer.")
                || className.startsWith("io.distgate.gateway.MetricsListener")
                || className.startsWith("io.prometheus.");
    }

    private static String frame(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String ranked(String title, Map<String, Integer> counts, long total) {
        StringBuilder out = new StringBuilder(title).append(" (").append(total).append(")\n");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())).limit(TOP)
                .forEach(e -> out.append(String.format(Locale.ROOT, "   %6.1f %%  %s%n", total == 0 ? 0 : 100.0 * e.getValue() / total,
                        e.getKey())));
        return out.toString();
    }
}
