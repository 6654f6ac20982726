package io.distgate.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a gateway's certificate chain, private key and CA bundle and refuses, at start, anything
 * a peer would refuse later: a key that is not the certificate's, a certificate outside its
 * validity, one that names no site, a chain the CA bundle does not vouch for. Finding these
 * when the gateway starts, with the file named, beats finding them as a handshake failure on the
 * other site.
 *
 * <p>The CA bundle must hold the CA of this gateway's own certificate too. With one CA for all
 * sites (what {@code distgate certs} makes) that is automatic; with a CA per site, put every
 * site's CA in every bundle: the site check, not the CA, tells sites apart.
 */
public final class TlsFiles {

    private static final Logger LOG = LoggerFactory.getLogger(TlsFiles.class);

    private TlsFiles() {
    }

    /** The files of {@code settings}, checked; a {@link TlsConfigException} names the first problem. */
    public static TlsMaterial load(TlsSettings settings) {
        return load(settings.certificateChain(), settings.privateKey(), settings.caBundle(), Instant.now());
    }

    static TlsMaterial load(Path chainFile, Path keyFile, Path caFile, Instant now) {
        List<X509Certificate> chain = PemFiles.certificates(chainFile);
        PrivateKey key = PemFiles.privateKey(keyFile);
        List<X509Certificate> bundle = PemFiles.certificates(caFile);
        X509Certificate leaf = chain.get(0);
        requireKeyOfCertificate(key, leaf, keyFile, chainFile);
        for (X509Certificate certificate : chain) {
            requireValidAt(certificate, now, chainFile, "certificate");
        }
        if (SiteIdentity.of(leaf).isEmpty()) {
            throw new TlsConfigException(chainFile, "certificate '" + subject(leaf) + "' names no site: it needs a"
                    + " subjectAltName URI " + SiteIdentity.URI_PREFIX + "<site> (distgate certs makes such certificates)");
        }
        X509Certificate issuingCa = issuingCa(chain, bundle, chainFile, caFile, now);
        requireValidAt(issuingCa, now, caFile, "CA certificate");
        warnAboutExpiredCas(bundle, caFile, now);
        return new TlsMaterial(chain, key, bundle, issuingCa);
    }

    /**
     * Proves the key is the certificate's by signing with one and verifying with the other: a
     * PKCS#8 EC key need not carry its public point, so comparing public keys directly would need
     * curve arithmetic, while a signature works for every key type the TLS engines accept.
     */
    static void requireKeyOfCertificate(PrivateKey key, X509Certificate leaf, Path keyFile, Path chainFile) {
        PublicKey publicKey = leaf.getPublicKey();
        String mismatch = "private key does not match the certificate '" + subject(leaf) + "' in " + chainFile
                + " (its public key belongs to another key pair)";
        if (!sameFamily(key.getAlgorithm(), publicKey.getAlgorithm())) {
            throw new TlsConfigException(keyFile, mismatch + ": the key is " + key.getAlgorithm()
                    + ", the certificate's is " + publicKey.getAlgorithm());
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> throw new TlsConfigException(keyFile, "private key type " + key.getAlgorithm()
                    + " is not supported; use EC (P-256) or RSA");
        };
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            if (!verifier.verify(signature)) {
                throw new TlsConfigException(keyFile, mismatch);
            }
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException(keyFile, mismatch + ": " + e.getMessage(), e);
        }
    }

    /**
     * Providers name the same key families differently: the JDK says EC where BouncyCastle (once
     * registered, as Apache MINA SSHD does) says ECDSA.
     */
    private static boolean sameFamily(String keyAlgorithm, String certificateKeyAlgorithm) {
        Set<String> edwards = Set.of("EdDSA", "Ed25519", "Ed448");
        Set<String> elliptic = Set.of("EC", "ECDSA");
        return keyAlgorithm.equals(certificateKeyAlgorithm)
                || edwards.contains(keyAlgorithm) && edwards.contains(certificateKeyAlgorithm)
                || elliptic.contains(keyAlgorithm) && elliptic.contains(certificateKeyAlgorithm);
    }

    private static void requireValidAt(X509Certificate certificate, Instant now, Path file, String what) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        String span = " (valid from " + notBefore + " to " + notAfter + ")";
        if (now.isAfter(notAfter)) {
            throw new TlsConfigException(file, what + " '" + subject(certificate) + "' expired on " + notAfter + span);
        }
        if (now.isBefore(notBefore)) {
            throw new TlsConfigException(file, what + " '" + subject(certificate) + "' is not valid until " + notBefore
                    + span + "; if it was just issued, check this host's clock");
        }
    }

    /**
     * Validates the chain the way a peer will (PKIX against the bundle, revocation aside: a
     * private CA of two gateways publishes no CRL) and returns the bundle's CA it ends at.
     */
    private static X509Certificate issuingCa(List<X509Certificate> chain, List<X509Certificate> bundle,
            Path chainFile, Path caFile, Instant now) {
        List<X509Certificate> path = new ArrayList<>(chain);
        // A root sent along with the chain is an anchor, not part of the path (RFC 5280 §6.1).
        while (path.size() > 1 && isSelfIssued(path.get(path.size() - 1))) {
            path.remove(path.size() - 1);
        }
        Set<TrustAnchor> anchors = new HashSet<>();
        bundle.forEach(ca -> anchors.add(new TrustAnchor(ca, null)));
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            PKIXCertPathValidatorResult result = (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            return result.getTrustAnchor().getTrustedCert();
        } catch (CertPathValidatorException e) {
            if (e.getReason() == PKIXReason.NO_TRUST_ANCHOR) {
                X509Certificate top = path.get(path.size() - 1);
                throw new TlsConfigException(caFile, "holds no CA that issued the certificate in " + chainFile
                        + " (issuer '" + top.getIssuerX500Principal().getName() + "'); a peer checking against"
                        + " this bundle would refuse it. Add that CA: both gateways check each other against it", e);
            }
            throw new TlsConfigException(chainFile, "certificate chain does not validate against " + caFile + ": "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException(chainFile, "certificate chain cannot be checked: " + e.getMessage(), e);
        }
    }

    private static boolean isSelfIssued(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }

    /** An expired CA in the bundle does not stop this gateway, but peers it issued will be refused. */
    private static void warnAboutExpiredCas(List<X509Certificate> bundle, Path caFile, Instant now) {
        for (X509Certificate ca : bundle) {
            if (now.isAfter(ca.getNotAfter().toInstant())) {
                LOG.warn("tls config: CA certificate '{}' in {} expired on {}; peers it issued will be refused",
                        subject(ca), caFile, ca.getNotAfter().toInstant());
            }
        }
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }
}
