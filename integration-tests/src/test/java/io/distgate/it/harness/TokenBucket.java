package io.distgate.it.harness;

/**
 * The bandwidth of one direction of the emulated WAN. A chunk may leave while the bucket is not
 * in debt and then draws its full size, possibly into debt; the next chunk waits until the debt
 * is repaid. So a chunk larger than the burst is never split or starved, order is kept by the
 * caller sending only its head, and the long-run rate is exact. Thread-safe: connections on
 * different event loops share one bucket, as they share one link.
 */
final class TokenBucket {

    /** Bytes a quiet link may send back to back, as a duration at the configured rate. */
    private static final long BURST_NANOS = 20_000_000L;
    private static final double NANOS_PER_SECOND = 1e9;

    private long bytesPerSecond;
    private double tokens;
    private long refilledAtNanos = System.nanoTime();

    /** 0 means unlimited. A rate switched on starts with a full burst, like a quiet link. */
    synchronized void rate(long newBytesPerSecond) {
        refill(System.nanoTime());
        boolean wasUnlimited = bytesPerSecond == 0;
        bytesPerSecond = newBytesPerSecond;
        tokens = wasUnlimited ? burst() : Math.min(tokens, burst());
    }

    /**
     * Takes {@code bytes} and returns 0 if the link may send them now; otherwise takes nothing and
     * returns how many nanoseconds to wait before asking again.
     */
    synchronized long reserve(int bytes) {
        if (bytesPerSecond == 0) {
            return 0;
        }
        refill(System.nanoTime());
        if (tokens < 0) {
            return (long) Math.ceil(-tokens * NANOS_PER_SECOND / bytesPerSecond);
        }
        tokens -= bytes;
        return 0;
    }

    private void refill(long now) {
        long elapsed = now - refilledAtNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst(), tokens + elapsed * (bytesPerSecond / NANOS_PER_SECOND));
            refilledAtNanos = now;
        }
    }

    private double burst() {
        return bytesPerSecond * (BURST_NANOS / NANOS_PER_SECOND);
    }
}
