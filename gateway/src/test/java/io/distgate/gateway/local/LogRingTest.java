package io.distgate.gateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LogRingTest {

    @Test
    void keepsTheLastLinesUpToItsCapacity() {
        LogRing log = new LogRing(2);
        log.add("one");
        log.add("two");
        log.add("three");
        assertThat(log.lines()).containsExactly("two", "three");
        assertThat(log.contains("one")).isFalse();
        assertThat(log.tail(1)).isEqualTo("    | three\n");
    }

    @Test
    void awaitReturnsWhenTheLineArrivesOnAnotherThread() throws Exception {
        LogRing log = new LogRing(10);
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> log.await("ready", Duration.ofSeconds(10)));
        log.add("starting");
        log.add("server ready on port 1");
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void awaitGivesUpWhenTheWriterIsGoneOrTheBoundPasses() throws Exception {
        LogRing closed = new LogRing(10);
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> closed.await("ready", Duration.ofSeconds(30)));
        closed.close();
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isFalse();

        LogRing quiet = new LogRing(10);
        long start = System.nanoTime();
        assertThat(quiet.await("ready", Duration.ofMillis(100))).isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
    }
}
