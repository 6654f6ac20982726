package io.distgate.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A gateway's certificate chain, private key and CA bundle, as {@link TlsFiles#load} accepted
 * them. Only this package creates it, so holding one means the files passed every check at load;
 * contexts built from it therefore need not repeat them.
 *
 * <p>{@link #toString} never shows the key.
 */
public final class TlsMaterial {

    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;
    private final List<X509Certificate> caBundle;
    private final X509Certificate issuingCa;

    TlsMaterial(List<X509Certificate> chain, PrivateKey privateKey, List<X509Certificate> caBundle,
            X509Certificate issuingCa) {
        if (chain.isEmpty() || caBundle.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain and a CA bundle need at least one certificate each");
        }
        this.chain = List.copyOf(chain);
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.caBundle = List.copyOf(caBundle);
        this.issuingCa = Objects.requireNonNull(issuingCa, "issuingCa");
    }

    /** This gateway's certificate, leaf first, as sent to peers. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** This gateway's own certificate. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** The sites this gateway's certificate speaks for. */
    public Set<String> sites() {
        return SiteIdentity.of(leaf());
    }

    /** The only CAs peers' certificates are checked against. */
    public List<X509Certificate> caBundle() {
        return caBundle;
    }

    /** The CA of the bundle that issued this gateway's chain: the one whose expiry ends it. */
    public X509Certificate issuingCa() {
        return issuingCa;
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    @Override
    public String toString() {
        return "TlsMaterial[leaf='" + leaf().getSubjectX500Principal().getName() + "', sites=" + sites()
                + ", notAfter=" + leaf().getNotAfter().toInstant()
                + ", ca='" + issuingCa.getSubjectX500Principal().getName() + "', caBundle=" + caBundle.size()
                + " certificate(s), privateKey=****]";
    }
}
