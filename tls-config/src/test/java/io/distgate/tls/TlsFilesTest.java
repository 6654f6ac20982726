package io.distgate.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.AbstractThrowableAssert;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way the TLS files can be wrong at start, and the message naming the file that says so. */
class TlsFilesTest {

    /** Only to make encrypted keys: an instance, never registered, so the code under test sees plain JCA. */
    private static final BouncyCastleProvider BOUNCY_CASTLE = new BouncyCastleProvider();

    @TempDir
    Path directory;

    private DevCa ca;
    private IssuedCertificate alpha;
    private Path caFile;

    @BeforeEach
    void writeGoodFiles() {
        ca = DevCa.create();
        ca.writeTo(directory);
        caFile = directory.resolve(DevCa.CA_CERTIFICATE_FILE);
        alpha = ca.issueSite("alpha");
        alpha.writeTo(directory);
    }

    private Path certificateFile() {
        return alpha.certificateFile(directory);
    }

    private Path keyFile() {
        return alpha.keyFile(directory);
    }

    private static TlsMaterial load(Path certificate, Path key, Path ca) {
        return TlsFiles.load(TlsSettings.of(certificate, key, ca));
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(Path file, Runnable load) {
        return assertThatThrownBy(load::run).isInstanceOf(TlsConfigException.class)
                .hasMessageStartingWith(file + ": ");
    }

    private Path write(String name, String text, String mode) throws IOException {
        Path file = directory.resolve(name);
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    @Test
    void loadsCertificateKeyAndBundleThatBelongTogether() {
        TlsMaterial material = load(certificateFile(), keyFile(), caFile);

        assertThat(material.sites()).containsExactly("alpha");
        assertThat(material.issuingCa()).isEqualTo(ca.certificate());
        assertThat(material.toString()).contains("privateKey=****").doesNotContain("BEGIN");
    }

    @Test
    void acceptsChainThatCarriesTheRootAfterTheLeaf() throws IOException {
        Path chain = write("chain.crt", Files.readString(certificateFile()) + Files.readString(caFile), "rw-r--r--");

        assertThat(load(chain, keyFile(), caFile).chain()).hasSize(2);
    }

    @Test
    void refusesMissingCertificateFile() {
        Path missing = directory.resolve("nowhere.crt");
        assertRefused(missing, () -> load(missing, keyFile(), caFile)).hasMessageContaining("does not exist");
    }

    @Test
    void refusesMissingKeyFile() {
        Path missing = directory.resolve("nowhere.key");
        assertRefused(missing, () -> load(certificateFile(), missing, caFile)).hasMessageContaining("does not exist");
    }

    @Test
    void refusesDirectoryInPlaceOfCaBundle() {
        assertRefused(directory, () -> load(certificateFile(), keyFile(), directory)).hasMessageContaining("is a directory");
    }

    @Test
    void refusesEmptyCertificateFile() throws IOException {
        Path empty = write("empty.crt", "", "rw-r--r--");
        assertRefused(empty, () -> load(empty, keyFile(), caFile)).hasMessageContaining("is empty");
    }

    @Test
    void refusesTextThatIsNotPem() throws IOException {
        Path garbage = write("garbage.crt", "this is not a certificate\n", "rw-r--r--");
        assertRefused(garbage, () -> load(garbage, keyFile(), caFile)).hasMessageContaining("is not PEM");
    }

    @Test
    void refusesBinaryDerCertificateWithConversionHint() throws Exception {
        Path der = directory.resolve("alpha.der");
        Files.write(der, alpha.certificate().getEncoded());
        assertRefused(der, () -> load(der, keyFile(), caFile))
                .hasMessageContaining("is not PEM").hasMessageContaining("openssl x509 -inform der");
    }

    @Test
    void refusesPemWithBrokenBase64() throws IOException {
        Path broken = write("broken.crt", "-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n", "rw-r--r--");
        assertRefused(broken, () -> load(broken, keyFile(), caFile)).hasMessageContaining("not valid PEM");
    }

    @Test
    void refusesCertificateFileThatHoldsOnlyAKey() {
        Path key = keyFile();
        assertRefused(key, () -> load(key, keyFile(), caFile))
                .hasMessageContaining("holds no certificate").hasMessageContaining("a private key");
    }

    @Test
    void refusesKeyOfAnotherCertificate() {
        IssuedCertificate beta = ca.issueSite("beta");
        beta.writeTo(directory);
        Path otherKey = beta.keyFile(directory);

        assertRefused(otherKey, () -> load(certificateFile(), otherKey, caFile))
                .hasMessageContaining("does not match the certificate").hasMessageContaining(certificateFile().toString());
    }

    @Test
    void refusesKeyOfAnotherAlgorithmThanTheCertificate() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        Path rsaKey = write("rsa.key", pem(rsa.generateKeyPair().getPrivate()), "rw-------");

        assertRefused(rsaKey, () -> load(certificateFile(), rsaKey, caFile))
                .hasMessageContaining("does not match").hasMessageContaining("the key is RSA");
    }

    @Test
    void refusesEncryptedPkcs8KeyAndSaysEncryptionIsNotSupported() throws Exception {
        JcaPKCS8Generator encrypted = new JcaPKCS8Generator(alpha.privateKey(),
                new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC).setProvider(BOUNCY_CASTLE)
                        .setPassword("secret".toCharArray()).build());
        Path key = write("encrypted.key", pem(encrypted), "rw-------");

        assertRefused(key, () -> load(certificateFile(), key, caFile)).hasMessageContaining("encrypted")
                .hasMessageContaining("not support");
    }

    @Test
    void refusesLegacyOpenSslEncryptedKey() throws Exception {
        JcaMiscPEMGenerator encrypted = new JcaMiscPEMGenerator(alpha.privateKey(),
                new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(BOUNCY_CASTLE).build("secret".toCharArray()));
        Path key = write("legacy-encrypted.key", pem(encrypted), "rw-------");

        assertRefused(key, () -> load(certificateFile(), key, caFile)).hasMessageContaining("encrypted");
    }

    @Test
    void refusesKeyReadableByGroupWithTheChmodThatFixesIt() throws IOException {
        Files.setPosixFilePermissions(keyFile(), PosixFilePermissions.fromString("rw-r-----"));

        assertRefused(keyFile(), () -> load(certificateFile(), keyFile(), caFile))
                .hasMessageContaining("group or others").hasMessageContaining("chmod 600 " + keyFile());
    }

    @Test
    void refusesKeyReadableByOthers() throws IOException {
        Files.setPosixFilePermissions(keyFile(), PosixFilePermissions.fromString("rw----r--"));

        assertRefused(keyFile(), () -> load(certificateFile(), keyFile(), caFile)).hasMessageContaining("chmod 600");
    }

    /** "EC PRIVATE KEY" as openssl writes it (RFC 5915): with the curve and the public key inside. */
    @Test
    void acceptsSec1EcKey() throws Exception {
        PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(alpha.privateKey().getEncoded());
        BigInteger secret = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(pkcs8.parsePrivateKey()).getKey();
        ASN1BitString publicKey = SubjectPublicKeyInfo.getInstance(alpha.certificate().getPublicKey().getEncoded())
                .getPublicKeyData();
        byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, secret, publicKey,
                pkcs8.getPrivateKeyAlgorithm().getParameters()).getEncoded();
        Path key = write("sec1.key", PemOutput.pem("EC PRIVATE KEY", sec1), "rw-------");

        assertThat(load(certificateFile(), key, caFile).sites()).containsExactly("alpha");
    }

    @Test
    void acceptsPkcs1RsaKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        IssuedCertificate rsa = ca.issue("rsa", Set.of("alpha"), Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(1)), List.of(), List.of(), pair);
        rsa.writeTo(directory);
        PrivateKey key = pair.getPrivate();
        byte[] pkcs1 = PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();
        Path pkcs1File = write("rsa-pkcs1.key", PemOutput.pem("RSA PRIVATE KEY", pkcs1), "rw-------");

        assertThat(load(rsa.certificateFile(directory), pkcs1File, caFile).sites()).containsExactly("alpha");
    }

    @Test
    void refusesExpiredCertificateNamingItsDates() {
        Instant notAfter = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        IssuedCertificate expired = ca.issue("expired", Set.of("alpha"), notAfter.minus(Duration.ofDays(30)), notAfter,
                List.of(), List.of());
        expired.writeTo(directory);

        assertRefused(expired.certificateFile(directory),
                () -> load(expired.certificateFile(directory), expired.keyFile(directory), caFile))
                .hasMessageContaining("expired on " + notAfter).hasMessageContaining("valid from");
    }

    @Test
    void refusesCertificateNotYetValidNamingItsStart() {
        Instant notBefore = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        IssuedCertificate future = ca.issue("future", Set.of("alpha"), notBefore, notBefore.plus(Duration.ofDays(30)),
                List.of(), List.of());
        future.writeTo(directory);

        assertRefused(future.certificateFile(directory),
                () -> load(future.certificateFile(directory), future.keyFile(directory), caFile))
                .hasMessageContaining("is not valid until " + notBefore);
    }

    @Test
    void refusesCertificateThatNamesNoSite() {
        IssuedCertificate siteless = ca.issue("siteless", Set.of(), Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(1)), List.of("gw.example.com"), List.of());
        siteless.writeTo(directory);

        assertRefused(siteless.certificateFile(directory),
                () -> load(siteless.certificateFile(directory), siteless.keyFile(directory), caFile))
                .hasMessageContaining("names no site").hasMessageContaining(SiteIdentity.URI_PREFIX);
    }

    @Test
    void refusesCaBundleWithoutTheIssuerOfTheCertificate() throws IOException {
        Path otherBundle = directory.resolve("other");
        Files.createDirectory(otherBundle);
        DevCa.create().writeTo(otherBundle);
        Path otherCa = otherBundle.resolve(DevCa.CA_CERTIFICATE_FILE);

        assertRefused(otherCa, () -> load(certificateFile(), keyFile(), otherCa))
                .hasMessageContaining("holds no CA that issued").hasMessageContaining(certificateFile().toString());
    }

    @Test
    void acceptsBundleWithSeveralCasIncludingTheIssuer() throws IOException {
        Path bundle = write("bundle.crt", PemOutput.pem("CERTIFICATE", encoded(DevCa.create()))
                + Files.readString(caFile), "rw-r--r--");

        assertThat(load(certificateFile(), keyFile(), bundle).caBundle()).hasSize(2);
    }

    private static byte[] encoded(DevCa ca) {
        try {
            return ca.certificate().getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new AssertionError(e);
        }
    }
}
