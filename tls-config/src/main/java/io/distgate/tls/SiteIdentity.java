package io.distgate.tls;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Which site a gateway certificate speaks for: a URI subjectAltName
 * {@code urn:distgate:site:<site>}.
 *
 * <p>Why a URI and not the CN or a DNS name: a DNS subjectAltName says where a host can be
 * reached, and it changes when the gateway moves behind a load balancer, gets a second address or
 * runs in a container with a generated name. The site is a different fact: which cluster the
 * gateway is entitled to represent. Putting it in its own URI keeps the two apart, so a certificate
 * can carry any DNS names a deployment needs without any of them granting a site, and a DNS name
 * that happens to equal a site name ({@code b}) never does. The CN is deprecated for identities
 * (RFC 6125 §6.4.4) and holds free text. This is the approach SPIFFE takes with
 * {@code spiffe://} URIs.
 *
 * <p>Site names are lower-case letters, digits, {@code _ . -}, 1 to 63 characters, as in the
 * gateway configuration. The {@code urn:distgate:} part is matched without regard to case
 * (RFC 8141 §3.1: scheme and namespace identifier are case-insensitive); the site name itself is
 * not, so it must be written in lower case.
 */
public final class SiteIdentity {

    /** Prefix of the URI subjectAltName that names a site. */
    public static final String URI_PREFIX = "urn:distgate:site:";

    /**
     * The one rule for site names, used by the configuration, certificates and SSH key files: a
     * site name is also a URI part, a file name and an option value, so it starts with a letter or
     * digit.
     */
    public static final String SITE_NAME_RULE = "1..63 of lower-case letters, digits, '_', '.', '-', starting with a"
            + " letter or digit";

    private static final Pattern SITE_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
    private static final int SAN_TYPE_URI = 6; // GeneralName uniformResourceIdentifier, RFC 5280 §4.2.1.6

    private SiteIdentity() {
    }

    /** Whether {@code name} is a valid site name. */
    public static boolean isValidSiteName(String name) {
        return name != null && SITE_NAME.matcher(name).matches();
    }

    /** The URI subjectAltName naming {@code site}. */
    public static String uriOf(String site) {
        requireValidSiteName(site);
        return URI_PREFIX + site;
    }

    static String requireValidSiteName(String site) {
        if (!isValidSiteName(site)) {
            throw new IllegalArgumentException("site name '" + site + "' is not " + SITE_NAME_RULE);
        }
        return site;
    }

    /**
     * The sites {@code certificate} names, in certificate order; empty when it names none. URIs
     * with the prefix but an invalid site name are ignored: no configuration can name that site.
     */
    public static Set<String> of(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            // An unparseable SAN extension names no site; the PKIX check reports the certificate.
            return Set.of();
        }
        if (names == null) {
            return Set.of();
        }
        List<String> uris = new ArrayList<>();
        for (List<?> name : names) {
            if (name.size() >= 2 && Integer.valueOf(SAN_TYPE_URI).equals(name.get(0))
                    && name.get(1) instanceof String uri) {
                uris.add(uri);
            }
        }
        return sitesOfUris(uris);
    }

    /** The sites named by these URI subjectAltNames, in order. */
    static Set<String> sitesOfUris(List<String> uris) {
        Set<String> sites = new LinkedHashSet<>();
        for (String uri : uris) {
            String site = siteOfUri(uri);
            if (site != null) {
                sites.add(site);
            }
        }
        return Collections.unmodifiableSet(sites);
    }

    private static String siteOfUri(String uri) {
        if (uri.length() <= URI_PREFIX.length()
                || !uri.substring(0, URI_PREFIX.length()).toLowerCase(Locale.ROOT).equals(URI_PREFIX)) {
            return null;
        }
        String site = uri.substring(URI_PREFIX.length());
        return isValidSiteName(site) ? site : null;
    }

    /**
     * The one site of {@code allowedSites} that {@code peerLeaf} names.
     *
     * @throws PeerRejectedException {@code wrong_site} when it names none of them, or more than
     *     one (then which site is speaking would be ambiguous)
     */
    public static String check(X509Certificate peerLeaf, Set<String> allowedSites) throws PeerRejectedException {
        Set<String> named = of(peerLeaf);
        Set<String> matching = new TreeSet<>(named);
        matching.retainAll(allowedSites);
        if (matching.size() == 1) {
            return matching.iterator().next();
        }
        String what = named.isEmpty()
                ? "names no site (no " + URI_PREFIX + "<site> subjectAltName)"
                : "names site(s) " + new TreeSet<>(named);
        String problem = matching.isEmpty() ? "expected one of " + new TreeSet<>(allowedSites)
                : "more than one of them is configured, which is ambiguous";
        throw new PeerRejectedException(TlsFailureReason.WRONG_SITE, "peer certificate '"
                + peerLeaf.getSubjectX500Principal().getName() + "' " + what + "; " + problem);
    }

    /**
     * The peer's site after a handshake: for use where the check did not run inside the handshake,
     * and to learn which of several allowed sites connected.
     *
     * @throws PeerRejectedException {@code no_certificate} when the peer sent none,
     *     {@code wrong_site} as in {@link #check}
     */
    public static String verify(SSLSession session, Set<String> allowedSites) throws PeerRejectedException {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            throw new PeerRejectedException(TlsFailureReason.NO_CERTIFICATE, "peer sent no certificate", e);
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            throw new PeerRejectedException(TlsFailureReason.NO_CERTIFICATE, "peer sent no X.509 certificate");
        }
        return check(leaf, allowedSites);
    }
}
