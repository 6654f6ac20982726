package io.distgate.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.util.Arrays;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Classification that needs no network; the handshake tests cover what real engines report. */
class TlsFailureReasonTest {

    @Test
    void labelsAreDistinctLowerSnakeCaseMetricTagValues() {
        assertThat(Arrays.stream(TlsFailureReason.values()).map(TlsFailureReason::label))
                .doesNotHaveDuplicates().allMatch(label -> label.matches("[a-z0-9_]+"));
    }

    @Test
    void findsTheRefusalReasonBehindEngineWrappers() {
        SSLHandshakeException engine = new SSLHandshakeException("General OpenSslEngine problem");
        engine.initCause(new CertificateException("wrapper",
                new PeerRejectedException(TlsFailureReason.WRONG_SITE, "gamma")));

        assertThat(TlsFailureReason.reasonOf(new DecoderException(engine))).isEqualTo("wrong_site");
    }

    @Test
    void findsTheRefusalReasonAmongSuppressedExceptions() {
        IOException closed = new IOException("closed");
        closed.addSuppressed(new PeerRejectedException(TlsFailureReason.UNKNOWN_CA, "x"));

        assertThat(TlsFailureReason.of(closed)).isEqualTo(TlsFailureReason.UNKNOWN_CA);
    }

    @Test
    void handshakeDeadlineIsHandshakeTimeout() {
        assertThat(TlsFailureReason.of(new SslHandshakeTimeoutException("handshake timed out after 300ms")))
                .isEqualTo(TlsFailureReason.HANDSHAKE_TIMEOUT);
    }

    @Test
    void otherCertificateProblemIsBadCertificate() {
        assertThat(TlsFailureReason.of(new SSLHandshakeException("x") {
            {
                initCause(new CertificateException("Certificates do not conform to algorithm constraints"));
            }
        })).isEqualTo(TlsFailureReason.BAD_CERTIFICATE);
    }

    @Test
    void unrelatedFailureIsHandshakeError() {
        assertThat(TlsFailureReason.of(new IOException("Connection reset by peer")))
                .isEqualTo(TlsFailureReason.HANDSHAKE_ERROR);
        assertThat(TlsFailureReason.of(null)).isEqualTo(TlsFailureReason.HANDSHAKE_ERROR);
    }

    @Test
    void selfReferencingCauseChainTerminates() {
        Exception a = new Exception("a");
        Exception b = new Exception("b", a);
        a.addSuppressed(b);

        assertThat(TlsFailureReason.of(b)).isEqualTo(TlsFailureReason.HANDSHAKE_ERROR);
    }
}
