package io.distgate.it.harness;

import io.distgate.it.harness.WanRelay.Direction;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every link of a {@link WanRelay} consults before it forwards a chunk: the one-way delay,
 * the end of the current stall and the rate of each direction; and where it counts what it
 * forwarded. Thread-safe; written by the test thread, read by the event loops.
 */
final class WanConditions {

    private final Map<Direction, TokenBucket> rates = new EnumMap<>(Direction.class);
    private final Map<Direction, LongAdder> forwarded = new EnumMap<>(Direction.class);
    private final AtomicLong stallEndsNanos = new AtomicLong(System.nanoTime());
    private volatile long delayNanos;

    WanConditions() {
        for (Direction direction : Direction.values()) {
            rates.put(direction, new TokenBucket());
            forwarded.put(direction, new LongAdder());
        }
    }

    void delay(Duration oneWay) {
        delayNanos = oneWay.toNanos();
    }

    long delayNanos() {
        return delayNanos;
    }

    /** Overlapping stalls end with the later one. */
    void stall(Duration length) {
        long ends = System.nanoTime() + length.toNanos();
        stallEndsNanos.accumulateAndGet(ends, WanConditions::later);
    }

    /** Nothing leaves before this {@link System#nanoTime()}; in the past when not stalled. */
    long stallEndsNanos() {
        return stallEndsNanos.get();
    }

    void rateLimit(long bytesPerSecond) {
        rates.values().forEach(bucket -> bucket.rate(bytesPerSecond));
    }

    /** See {@link TokenBucket#reserve(int)}. */
    long reserve(Direction direction, int bytes) {
        return rates.get(direction).reserve(bytes);
    }

    void forwarded(Direction direction, int bytes) {
        forwarded.get(direction).add(bytes);
    }

    long bytesForwarded(Direction direction) {
        return forwarded.get(direction).sum();
    }

    /** The later of two {@link System#nanoTime()} values, which may wrap, so never compared directly. */
    static long later(long a, long b) {
        return a - b >= 0 ? a : b;
    }
}
