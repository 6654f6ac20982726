package io.distgate.tls;

/**
 * Why a TLS connection between gateways failed, as a small fixed set of labels for logs and for
 * a bounded metric tag.
 *
 * <p>The first six come from distgate's trust manager on the side that judged the peer's
 * certificate. The others cover the rest of a handshake: a protocol version or ALPN mismatch, the
 * deadline, and the side whose own certificate was refused, which only learns of it from the
 * peer's alert.
 */
public enum TlsFailureReason {
    /** The peer's certificate does not chain to a CA in the configured bundle. */
    UNKNOWN_CA("unknown_ca"),
    /** The peer's certificate (or one in its chain) is past its notAfter. */
    EXPIRED_CERTIFICATE("expired_certificate"),
    /** The peer's certificate (or one in its chain) is before its notBefore. */
    NOT_YET_VALID("not_yet_valid"),
    /** The peer sent no certificate. */
    NO_CERTIFICATE("no_certificate"),
    /** The certificate is valid but names no site this side accepts (or several). */
    WRONG_SITE("wrong_site"),
    /** Any other certificate problem: bad signature, wrong key usage, malformed. */
    BAD_CERTIFICATE("bad_certificate"),
    /** No TLS version both sides enable (TLS 1.2 peer while only TLS 1.3 is allowed). */
    PROTOCOL_VERSION("protocol_version"),
    /** The handshake finished without both sides agreeing on ALPN {@code h2}. */
    NO_H2("no_h2"),
    /** The handshake did not finish within the configured deadline. */
    HANDSHAKE_TIMEOUT("handshake_timeout"),
    /** The peer ended the handshake with an alert: usually it refused this side's certificate. */
    PEER_REFUSED("peer_refused"),
    /** Anything else: the connection dropped, garbage instead of TLS, an internal error. */
    HANDSHAKE_ERROR("handshake_error");

    private final String label;

    TlsFailureReason(String label) {
        this.label = label;
    }

    /** The label as logged and used as a metric tag value. */
    public String label() {
        return label;
    }

    /** The reason for a failed handshake or a refused peer, found in its cause chain. */
    public static TlsFailureReason of(Throwable handshakeFailure) {
        return FailureClassifier.classify(handshakeFailure);
    }

    /** {@link #of}'s label, for callers that only log or count. */
    public static String reasonOf(Throwable handshakeFailure) {
        return of(handshakeFailure).label();
    }
}
