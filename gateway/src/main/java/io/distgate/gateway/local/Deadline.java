package io.distgate.gateway.local;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A point in time after which a polled condition counts as failed. */
public final class Deadline {
    private final long endNanos;

    private Deadline(long endNanos) {
        this.endNanos = endNanos;
    }

    public static Deadline after(Duration timeout) {
        return new Deadline(System.nanoTime() + timeout.toNanos());
    }

    public boolean expired() {
        return remaining().isZero();
    }

    Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    /**
     * The pause between two probes of a polled condition, cut short at the deadline.
     * It spaces out probes; it is never how a caller waits for something to happen.
     */
    public void pauseBetweenProbes(Duration interval) {
        long nanos = Math.min(interval.toNanos(), remaining().toNanos());
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while polling", e);
        }
    }
}
