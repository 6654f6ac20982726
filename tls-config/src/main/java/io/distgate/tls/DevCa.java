package io.distgate.tls;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A development certificate authority: what {@code distgate certs} and {@code distgate demo} use
 * to give every site a certificate in one command. {@value #NOTICE}: its key sits in a plain file
 * next to the certificates, nothing revokes what it issued, and anyone holding {@code ca.key} can
 * mint a certificate for any site.
 *
 * <p>Keys are EC P-256: accepted by every TLS 1.3 stack, cheap to sign with, small on the wire.
 */
public final class DevCa {

    /** What the output of {@code distgate certs} is meant for. */
    public static final String NOTICE = "for trials; use your own PKI in production";
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** 825 days: the longest validity common TLS clients still accept for a leaf certificate. */
    public static final Duration DEFAULT_SITE_VALIDITY = Duration.ofDays(825);
    public static final String CA_CERTIFICATE_FILE = "ca.crt";
    public static final String CA_KEY_FILE = "ca.key";

    /** Certificates start an hour in the past so a peer whose clock runs behind accepts them at once. */
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey key;

    private DevCa(X509Certificate certificate, PrivateKey key) {
        this.certificate = certificate;
        this.key = key;
    }

    /**
     * A new CA valid for {@link #CA_VALIDITY}. Its name carries a random suffix: two development
     * CAs with the same name would make "unknown CA" errors needlessly confusing.
     */
    public static DevCa create() {
        KeyPair pair = newKeyPair();
        Instant now = Instant.now();
        X500Name name = cn("distgate development CA " + HexFormat.of().formatHex(randomBytes(4)));
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic())
                    // pathLen 0: this CA signs gateway certificates only, never another CA.
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(pair.getPublic()));
            return new DevCa(sign(builder, pair.getPrivate()), pair.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create a development CA: " + e.getMessage(), e);
        }
    }

    /** The CA written earlier to {@code directory} by {@link #writeTo}, to issue more site certificates. */
    public static DevCa load(Path directory) {
        Path certificateFile = directory.resolve(CA_CERTIFICATE_FILE);
        Path keyFile = directory.resolve(CA_KEY_FILE);
        X509Certificate certificate = PemFiles.certificates(certificateFile).get(0);
        PrivateKey key = PemFiles.privateKey(keyFile);
        TlsFiles.requireKeyOfCertificate(key, certificate, keyFile, certificateFile);
        return new DevCa(certificate, key);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Writes {@code ca.crt} and {@code ca.key} (mode 600) into {@code directory}; never overwrites. */
    public void writeTo(Path directory) {
        PemOutput.writePrivateKey(directory.resolve(CA_KEY_FILE), key);
        PemOutput.writeCertificate(directory.resolve(CA_CERTIFICATE_FILE), certificate);
    }

    /** A certificate for {@code site}, valid from now for {@link #DEFAULT_SITE_VALIDITY}. */
    public IssuedCertificate issueSite(String site) {
        return issueSite(site, DEFAULT_SITE_VALIDITY, List.of(), List.of());
    }

    /** A certificate for {@code site}, valid from now for {@code validity}, with extra DNS and IP names. */
    public IssuedCertificate issueSite(String site, Duration validity, List<String> dnsNames,
            List<InetAddress> addresses) {
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive, was " + validity);
        }
        Instant now = Instant.now();
        return issueSite(site, now.minus(BACKDATE), now.plus(validity), dnsNames, addresses);
    }

    /** A certificate for {@code site} with exactly these dates: tests use it for expired and future ones. */
    public IssuedCertificate issueSite(String site, Instant notBefore, Instant notAfter, List<String> dnsNames,
            List<InetAddress> addresses) {
        return issue(site, Set.of(SiteIdentity.requireValidSiteName(site)), notBefore, notAfter, dnsNames, addresses);
    }

    /** The general form: {@code sites} may be empty (a certificate naming no site) or several. */
    IssuedCertificate issue(String commonName, Set<String> sites, Instant notBefore, Instant notAfter,
            List<String> dnsNames, List<InetAddress> addresses) {
        return issue(commonName, sites, notBefore, notAfter, dnsNames, addresses, newKeyPair());
    }

    /** With a given key pair: tests use it for RSA keys. */
    IssuedCertificate issue(String commonName, Set<String> sites, Instant notBefore, Instant notAfter,
            List<String> dnsNames, List<InetAddress> addresses, KeyPair pair) {
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " is not after notBefore " + notBefore);
        }
        List<GeneralName> names = new ArrayList<>();
        sites.forEach(site -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, SiteIdentity.uriOf(site))));
        dnsNames.forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        addresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip.getHostAddress())));
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            PublicKey publicKey = pair.getPublic();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(notBefore), Date.from(notAfter), cn(commonName), publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    // Both: every gateway is a TLS server to some peers and a client to others.
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(publicKey))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(certificate.getPublicKey()));
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return new IssuedCertificate(commonName, sign(builder, key), pair.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signingKey)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with " + SIGNATURE_ALGORITHM, e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available in this JDK: " + e.getMessage(), e);
        }
    }

    private static X500Name cn(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    /** Random, positive, at most 20 octets (RFC 5280 §4.1.2.2). */
    private static BigInteger serial() {
        return new BigInteger(1, randomBytes(16));
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Override
    public String toString() {
        return "DevCa['" + certificate.getSubjectX500Principal().getName() + "', key=****]";
    }
}
