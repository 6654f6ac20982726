package io.distgate.tls;

import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Maps exceptions to {@link TlsFailureReason}s.
 *
 * <p>Failures distgate's trust manager raises carry their reason ({@link PeerRejectedException})
 * and need no guessing. A few failures never reach a trust manager because the TLS engine decides
 * them itself (no client certificate, no common protocol version, the peer's alert); those are
 * recognised by the engines' messages, which differ between SunJSSE and BoringSSL. The markers
 * below are the ones both engines produce today; the handshake tests provoke each of these
 * failures with both providers, so a changed message fails a test instead of silently becoming
 * {@code handshake_error}.
 */
final class FailureClassifier {

    private static final int MAX_EXCEPTIONS = 32;

    /** SunJSSE: "Empty client certificate chain"; BoringSSL: PEER_DID_NOT_RETURN_A_CERTIFICATE. */
    private static final List<String> NO_CERTIFICATE_MARKERS = List.of(
            "empty client certificate chain", "empty server certificate chain",
            "peer_did_not_return_a_certificate");
    /** SunJSSE server/client and alert name; BoringSSL reason codes and alert name. */
    private static final List<String> PROTOCOL_MARKERS = List.of(
            "protocol_version", "unsupported_protocol", "no appropriate protocol",
            "is not enabled or supported", "supported protocol versions");
    /** SunJSSE "Received fatal alert: x"; BoringSSL "SSLV3_ALERT_x" / "TLSV1_ALERT_x" / "TLSV13_ALERT_x". */
    private static final List<String> ALERT_MARKERS = List.of(
            "received fatal alert", "sslv3_alert_", "tlsv1_alert_", "tlsv13_alert_");

    private FailureClassifier() {
    }

    static TlsFailureReason classify(Throwable failure) {
        List<Throwable> chain = flatten(failure);
        for (Throwable t : chain) {
            if (t instanceof PeerRejectedException rejected) {
                return rejected.reason();
            }
        }
        for (Throwable t : chain) {
            if (t instanceof SslHandshakeTimeoutException) {
                return TlsFailureReason.HANDSHAKE_TIMEOUT;
            }
        }
        if (anyMessageContains(chain, NO_CERTIFICATE_MARKERS)) {
            return TlsFailureReason.NO_CERTIFICATE;
        }
        if (anyMessageContains(chain, PROTOCOL_MARKERS)) {
            return TlsFailureReason.PROTOCOL_VERSION;
        }
        if (anyMessageContains(chain, ALERT_MARKERS)) {
            return TlsFailureReason.PEER_REFUSED;
        }
        for (Throwable t : chain) {
            if (t instanceof CertificateException certificateFailure) {
                return certificateReason(certificateFailure);
            }
        }
        return TlsFailureReason.HANDSHAKE_ERROR;
    }

    /**
     * The reason a PKIX trust manager refused a chain. Path building fails first when no trusted
     * CA issued the chain, so an expired certificate of an unknown CA counts as {@code unknown_ca}:
     * which is the more useful of the two facts.
     */
    static TlsFailureReason certificateReason(CertificateException failure) {
        for (Throwable t : flatten(failure)) {
            if (t instanceof CertificateExpiredException) {
                return TlsFailureReason.EXPIRED_CERTIFICATE;
            }
            if (t instanceof CertificateNotYetValidException) {
                return TlsFailureReason.NOT_YET_VALID;
            }
            if (t instanceof CertPathBuilderException) {
                return TlsFailureReason.UNKNOWN_CA;
            }
            if (t instanceof CertPathValidatorException invalid) {
                if (invalid.getReason() == BasicReason.EXPIRED) {
                    return TlsFailureReason.EXPIRED_CERTIFICATE;
                }
                if (invalid.getReason() == BasicReason.NOT_YET_VALID) {
                    return TlsFailureReason.NOT_YET_VALID;
                }
            }
        }
        return TlsFailureReason.BAD_CERTIFICATE;
    }

    /** The failure, its causes and suppressed exceptions, breadth first, each once. */
    private static List<Throwable> flatten(Throwable failure) {
        List<Throwable> out = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> queue = new ArrayDeque<>();
        if (failure != null) {
            queue.add(failure);
        }
        while (!queue.isEmpty() && out.size() < MAX_EXCEPTIONS) {
            Throwable t = queue.poll();
            if (!seen.add(t)) {
                continue;
            }
            out.add(t);
            if (t.getCause() != null) {
                queue.add(t.getCause());
            }
            Collections.addAll(queue, t.getSuppressed());
        }
        return out;
    }

    private static boolean anyMessageContains(List<Throwable> chain, List<String> markers) {
        for (Throwable t : chain) {
            String message = t.getMessage();
            if (message == null) {
                continue;
            }
            String lower = message.toLowerCase(Locale.ROOT);
            for (String marker : markers) {
                if (lower.contains(marker)) {
                    return true;
                }
            }
        }
        return false;
    }
}
