package io.distgate.tls;

import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.internal.tcnative.CertificateVerifier;
import java.security.cert.CertificateException;

/**
 * Gives BoringSSL the X.509 error matching a refusal, so the alert the peer receives names the
 * problem ({@code unknown_ca}, {@code certificate_expired}, {@code bad_certificate}). Without it
 * netty reports most refusals as an unspecified error, which BoringSSL sends as
 * {@code internal_error}: misleading for the operator on the other site.
 *
 * <p>The refusal stays the cause, so {@link TlsFailureReason#of} still finds its label. Only used
 * with the OpenSSL provider: the error codes come from the native library.
 */
final class OpenSslVerifyErrors {

    private OpenSslVerifyErrors() {
    }

    static CertificateException withVerifyError(PeerRejectedException rejected) {
        int error = switch (rejected.reason()) {
            case UNKNOWN_CA -> CertificateVerifier.X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
            case EXPIRED_CERTIFICATE -> CertificateVerifier.X509_V_ERR_CERT_HAS_EXPIRED;
            case NOT_YET_VALID -> CertificateVerifier.X509_V_ERR_CERT_NOT_YET_VALID;
            default -> CertificateVerifier.X509_V_ERR_CERT_REJECTED;
        };
        return new OpenSslCertificateException(rejected.getMessage(), rejected, error);
    }
}
