package io.distgate.tls;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;

/**
 * Seconds until this gateway's certificate and its CA expire, for the gauge
 * {@code distgate_tls_certificate_expiry_seconds{role="leaf"|"ca"}}. Negative once expired, so an
 * alert on {@code < 14d} keeps firing after the date instead of going silent.
 *
 * <p>The CA is the one of the bundle that issued this gateway's chain: when it expires this
 * gateway's own certificate stops validating, whatever its own date says.
 */
public record CertificateExpiry(long leafSeconds, long caSeconds) {

    public static final String ROLE_LEAF = "leaf";
    public static final String ROLE_CA = "ca";

    public static CertificateExpiry of(TlsMaterial material, Clock clock) {
        return new CertificateExpiry(secondsUntilExpiry(material.leaf(), clock),
                secondsUntilExpiry(material.issuingCa(), clock));
    }

    public static long secondsUntilExpiry(X509Certificate certificate, Clock clock) {
        return Duration.between(clock.instant(), certificate.getNotAfter().toInstant()).toSeconds();
    }
}
