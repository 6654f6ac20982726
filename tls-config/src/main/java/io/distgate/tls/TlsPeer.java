package io.distgate.tls;

import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import java.util.Set;
import javax.net.ssl.SSLSession;

/**
 * The peer gateway of a finished handshake, for the log line and for routing.
 *
 * @param site the peer's site, one of the allowed sites
 * @param protocol the TLS version, {@code TLSv1.3} unless TLS 1.2 was allowed
 * @param cipherSuite the negotiated cipher suite
 * @param applicationProtocol always {@code h2}
 */
public record TlsPeer(String site, String protocol, String cipherSuite, String applicationProtocol) {

    /**
     * Checks a handshake that {@code handler} reported as successful: ALPN must have chosen
     * {@code h2} and the peer certificate must name one of {@code allowedSites}.
     *
     * <p>The site was already checked inside the handshake by the context's trust manager; this
     * repeats it cheaply and says which site it was. ALPN is checked here because OpenSSL cannot
     * fail a handshake on an ALPN mismatch (it supports only the NO_ADVERTISE/ACCEPT behaviours),
     * and a peer that sends no ALPN at all passes the handshake with either provider.
     *
     * @throws PeerRejectedException {@code no_h2}, {@code no_certificate} or {@code wrong_site};
     *     the caller closes the connection
     */
    public static TlsPeer afterHandshake(SslHandler handler, Set<String> allowedSites) throws PeerRejectedException {
        String alpn = handler.applicationProtocol();
        if (!ApplicationProtocolNames.HTTP_2.equals(alpn)) {
            throw new PeerRejectedException(TlsFailureReason.NO_H2, "the peer did not agree on ALPN "
                    + ApplicationProtocolNames.HTTP_2 + " (negotiated: " + (alpn == null ? "none" : alpn) + ")");
        }
        SSLSession session = handler.engine().getSession();
        String site = SiteIdentity.verify(session, allowedSites);
        return new TlsPeer(site, session.getProtocol(), session.getCipherSuite(), alpn);
    }
}
