package io.distgate.bridge.dist;

/**
 * Bad input from a peer. Each protocol has its own subclass; the message names the field, the
 * limit and the value seen, and {@link #reason()} is a short, stable word used as a metric label
 * (a small, bounded set per protocol).
 */
public abstract class ProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    protected ProtocolException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** Short label, e.g. {@code bad_cookie}, {@code oversized}, {@code malformed}. */
    public String reason() {
        return reason;
    }
}
