package io.distgate.it.bench;

import org.junit.jupiter.api.Test;

/**
 * The benchmark suite (issue #6), run by {@code bench/run} through the Maven profile {@code bench}.
 * Not a test: its name matches neither surefire's nor failsafe's default patterns, so
 * {@code mvn verify} never runs it, and it fails only when a configuration cannot run at all,
 * never on a number. Settings come from system properties (see {@link BenchSettings}).
 */
class Benchmarks {

    @Test
    void measureEveryPath() {
        System.out.println(new BenchRun(BenchSettings.fromSystemProperties()).run());
    }
}
