package io.distgate.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust manager of every distgate TLS context: the JDK's PKIX check against the configured CA
 * bundle only, then the site check, each failure thrown as a {@link PeerRejectedException} with
 * its reason. The PKIX check is the JDK's TLS variant, so it also requires the extended key usage
 * of the role (clientAuth from a client, serverAuth from a server).
 *
 * <p>The site check runs here, inside the handshake, rather than after it: a peer of the wrong
 * site is then refused by a TLS alert before either side has sent or accepted a single HTTP/2
 * byte. Both providers call this class: SunJSSE directly, BoringSSL through netty's verify
 * callback, which keeps the exception as the handshake failure's cause.
 */
final class SiteTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager pkix;
    private final Set<String> allowedSites;
    private final Function<PeerRejectedException, CertificateException> forProvider;

    /**
     * @param forProvider turns a refusal into what the provider reports best: for OpenSSL,
     *     {@link OpenSslVerifyErrors#withVerifyError}
     */
    SiteTrustManager(List<X509Certificate> caBundle, Set<String> allowedSites,
            Function<PeerRejectedException, CertificateException> forProvider) {
        if (allowedSites.isEmpty()) {
            throw new IllegalArgumentException("no peer site is allowed: every peer would be refused");
        }
        allowedSites.forEach(SiteIdentity::requireValidSiteName);
        this.pkix = pkixOver(caBundle);
        this.allowedSites = Set.copyOf(allowedSites);
        this.forProvider = forProvider;
    }

    static SiteTrustManager forProvider(List<X509Certificate> caBundle, Set<String> allowedSites, TlsProvider provider) {
        return new SiteTrustManager(caBundle, allowedSites, provider == TlsProvider.OPENSSL
                ? OpenSslVerifyErrors::withVerifyError : rejected -> rejected);
    }

    /** A PKIX trust manager whose only anchors are {@code caBundle}: never the system store. */
    private static X509ExtendedTrustManager pkixOver(List<X509Certificate> caBundle) {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            for (int i = 0; i < caBundle.size(); i++) {
                anchors.setCertificateEntry("ca-" + i, caBundle.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    return extended;
                }
            }
            throw new IllegalStateException("the PKIX TrustManagerFactory offers no X509ExtendedTrustManager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a PKIX trust manager: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface PkixCheck {
        void run() throws CertificateException;
    }

    private void check(X509Certificate[] chain, PkixCheck pkixCheck) throws CertificateException {
        try {
            checkOrReject(chain, pkixCheck);
        } catch (PeerRejectedException e) {
            throw forProvider.apply(e);
        }
    }

    private void checkOrReject(X509Certificate[] chain, PkixCheck pkixCheck) throws PeerRejectedException {
        if (chain == null || chain.length == 0) {
            throw new PeerRejectedException(TlsFailureReason.NO_CERTIFICATE, "peer sent no certificate");
        }
        try {
            pkixCheck.run();
        } catch (PeerRejectedException e) {
            throw e;
        } catch (CertificateException e) {
            throw new PeerRejectedException(FailureClassifier.certificateReason(e), "peer certificate '"
                    + chain[0].getSubjectX500Principal().getName() + "' refused: " + e.getMessage(), e);
        }
        SiteIdentity.check(chain[0], allowedSites);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, () -> pkix.checkClientTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, () -> pkix.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain, () -> pkix.checkClientTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain, () -> pkix.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, () -> pkix.checkClientTrusted(chain, authType));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, () -> pkix.checkServerTrusted(chain, authType));
    }

    /**
     * None: a server sending its CA names in the CertificateRequest makes a client whose
     * certificate comes from another CA send no certificate at all, and the refusal would read
     * {@code no_certificate}. With an empty list the client sends what it has and the server
     * can say {@code unknown_ca}. Gateways hold one certificate each, so nothing is lost.
     */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    @Override
    public String toString() {
        return "SiteTrustManager[sites=" + new TreeSet<>(allowedSites) + "]";
    }
}
