package io.distgate.bridge.handshake;

import io.distgate.bridge.dist.ProtocolException;

/**
 * A handshake step failed. Some failures have last words: OTP answers an initiator it refuses
 * with a status before closing (dist_util {@code check_dflags/2}, {@code check_allowed/2}), and
 * so does the gateway; {@link #statusToSend()} carries that status, or null to just close.
 */
public final class HandshakeException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    /** Reasons, used as metric labels: a small, fixed set. */
    public static final String MALFORMED = "malformed";
    public static final String UNEXPECTED = "unexpected_message";
    public static final String BAD_COOKIE = "bad_cookie";
    public static final String BAD_NAME = "bad_name";
    public static final String NAME_MISMATCH = "name_mismatch";
    public static final String FLAGS = "missing_flags";
    public static final String VERSION = "unsupported_version";
    public static final String DYNAMIC_NAME = "dynamic_name";
    public static final String REFUSED = "refused";

    private final transient String statusToSend;

    public HandshakeException(String reason, String message) {
        this(reason, message, null);
    }

    public HandshakeException(String reason, String message, String statusToSend) {
        super(reason, message);
        this.statusToSend = statusToSend;
    }

    public String statusToSend() {
        return statusToSend;
    }
}
