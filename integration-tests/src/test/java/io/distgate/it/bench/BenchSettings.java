package io.distgate.it.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run measures and for how long. Quick mode (under three minutes, for CI and a first
 * look) keeps the 20,000 round trips but measures two sizes with one sender, shorter; full mode
 * measures everything the issue lists, each point in several alternating rounds.
 *
 * @param rounds            every workload runs this many rounds; each round visits every path
 *                          once, in an order rotated by one per round, so drift on the machine
 *                          touches every path alike
 * @param rttPerRound       small-term round trips per path and round
 * @param sizes             message sizes of the one-way throughput workload
 * @param senders           sender counts of the throughput workload
 * @param pointTime         length of one throughput run (one point, one path, one round)
 * @param setupPerRound     connection setups per path and round
 * @param holTime           length of one head-of-line probe run
 * @param holRounds         rounds of the head-of-line probe (one in quick mode: it is no ratio target)
 * @param sessions          concurrent node-pair sessions opened through a gateway for the RSS measurement
 * @param sessionPaths      the distgate variants the session measurement runs on
 * @param profileTime       length of each workload run with the flight recorder on; zero skips profiling
 * @param gatewayJvmArgs    the gateways' JVM options
 * @param only              path ids to run (all when empty), for working on one path
 * @param compare           extra distgate paths by id suffix, to compare a setting or another build with the
 *                          default in one run: each entry is JVM options for the gateways, plus optionally
 *                          {@code variant=SSH} (or TLS_JDK; default TLS_OPENSSL) and {@code jar=/path/distgate.jar}
 *                          ({@code bench.compare="oneloop:-Dio.netty.eventLoopThreads=1;head:jar=/tmp/head.jar"})
 */
record BenchSettings(String mode, Path out, int rounds, int rttPerRound, List<Integer> sizes, List<Integer> senders,
                     Duration pointTime, int setupPerRound, Duration holTime, int holRounds, int sessions, List<String> sessionPaths,
                     Duration profileTime, List<String> gatewayJvmArgs, List<String> only, Map<String, List<String>> compare) {

    static final int KIB = 1024;
    static final int MIB = 1024 * 1024;
    /** The bulk size of the targets. */
    static final int BULK = MIB;
    /** The small size of the message-rate target. */
    static final int SMALL = 64;
    /** The message size streamed during the head-of-line probe. */
    static final int HOL_BIG = 8 * MIB;

    boolean quick() {
        return mode.equals("quick");
    }

    boolean runs(String pathId) {
        return only.isEmpty() || only.contains(pathId);
    }

    static BenchSettings fromSystemProperties() {
        String mode = System.getProperty("bench.mode", "quick");
        Path out = Path.of(System.getProperty("bench.out", "target/bench")).toAbsolutePath();
        List<String> jvm = words(System.getProperty("bench.gateway.jvm", "-Xmx256m"));
        List<String> only = words(System.getProperty("bench.paths", "").replace(',', ' '));
        Map<String, List<String>> compare = new LinkedHashMap<>();
        for (String entry : System.getProperty("bench.compare", "").split(";")) {
            if (!entry.isBlank()) {
                int colon = entry.indexOf(':');
                compare.put(entry.substring(0, colon).trim(), words(entry.substring(colon + 1)));
            }
        }
        BenchSettings settings = switch (mode) {
            case "quick" -> new BenchSettings(mode, out, 2, 10_000, List.of(SMALL, BULK), List.of(1),
                    Duration.ofMillis(1000), 10, Duration.ofMillis(600), 1, 1000, List.of("distgate_tls_openssl"),
                    Duration.ZERO, jvm, only, compare);
            case "full" -> new BenchSettings(mode, out, 3, 10_000, List.of(SMALL, KIB, 64 * KIB, MIB), List.of(1, 8),
                    Duration.ofSeconds(3), 40, Duration.ofSeconds(3), 3, 1000,
                    List.of("distgate_tls_openssl", "distgate_tls_jdk", "distgate_ssh"), Duration.ofSeconds(4), jvm, only, compare);
            default -> throw new IllegalArgumentException("bench.mode must be quick or full, got " + mode);
        };
        String sessions = System.getProperty("bench.sessions");
        String profile = System.getProperty("bench.profile");
        String rounds = System.getProperty("bench.rounds");
        String pointMs = System.getProperty("bench.pointMs");
        return new BenchSettings(settings.mode, out, rounds != null ? Integer.parseInt(rounds) : settings.rounds,
                settings.rttPerRound, settings.sizes, settings.senders,
                pointMs != null ? Duration.ofMillis(Long.parseLong(pointMs)) : settings.pointTime, settings.setupPerRound, settings.holTime,
                settings.holRounds,
                sessions != null ? Integer.parseInt(sessions) : settings.sessions, settings.sessionPaths,
                profile != null ? Duration.ofSeconds(Long.parseLong(profile)) : settings.profileTime, jvm, only, compare);
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }
}
