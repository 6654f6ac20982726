package io.distgate.bridge.etf;

/**
 * Bounds on the control terms the gateway scans. The distribution protocol itself sets none below
 * the 4-byte packet length (reference section 4.1), so these are the gateway's own.
 *
 * @param maxDepth        how many tuples, lists and maps may nest, the control tuple itself
 *                        counting as one; default {@value #DEFAULT_MAX_DEPTH}. OTP's own control
 *                        messages nest a handful of levels; only exit reasons and trace tokens
 *                        built by applications go deeper.
 * @param maxControlBytes the most bytes a control term may span, counted from its first tag
 *                        byte (after its 131 version byte); default {@value #DEFAULT_MAX_CONTROL_BYTES}
 *                        (1 MiB). The payload term that may follow is not counted.
 */
public record EtfLimits(int maxDepth, int maxControlBytes) {

    public static final int DEFAULT_MAX_DEPTH = 100;
    public static final int DEFAULT_MAX_CONTROL_BYTES = 1 << 20;

    /** Upper bound for {@link #maxDepth}: the scanner keeps one int per level. */
    public static final int MAX_DEPTH_CEILING = 10_000;

    public static final EtfLimits DEFAULTS = new EtfLimits(DEFAULT_MAX_DEPTH, DEFAULT_MAX_CONTROL_BYTES);

    public EtfLimits {
        if (maxDepth < 1 || maxDepth > MAX_DEPTH_CEILING) {
            throw new IllegalArgumentException(
                    "maxDepth must be in 1.." + MAX_DEPTH_CEILING + ", was " + maxDepth);
        }
        if (maxControlBytes < 1) {
            throw new IllegalArgumentException("maxControlBytes must be positive, was " + maxControlBytes);
        }
    }
}
