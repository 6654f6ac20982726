package io.distgate.tls;

import java.security.cert.CertificateException;
import java.util.Objects;

/**
 * distgate's own refusal of a peer, carrying the reason label.
 *
 * <p>It extends {@link CertificateException} because that is the only checked exception a trust
 * manager may throw: thrown there, it becomes the cause of the handshake failure with both
 * providers (the JDK's and netty's OpenSSL verify callback both keep it), which is how
 * {@link TlsFailureReason#of} finds the label again.
 */
public final class PeerRejectedException extends CertificateException {

    private final TlsFailureReason reason;

    public PeerRejectedException(TlsFailureReason reason, String message) {
        super(reason.label() + ": " + message);
        this.reason = Objects.requireNonNull(reason);
    }

    public PeerRejectedException(TlsFailureReason reason, String message, Throwable cause) {
        super(reason.label() + ": " + message, cause);
        this.reason = Objects.requireNonNull(reason);
    }

    public TlsFailureReason reason() {
        return reason;
    }
}
