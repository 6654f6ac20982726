package io.distgate.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevCaTest {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path directory;

    @Test
    void writtenCaAndSiteFilesLoadBackWithTheSiteUri() throws Exception {
        DevCa ca = DevCa.create();
        ca.writeTo(directory);
        IssuedCertificate alpha = ca.issueSite("alpha", Duration.ofDays(30), List.of("gw.alpha.example"),
                List.of(InetAddress.getByName("192.0.2.7")));
        alpha.writeTo(directory);

        TlsMaterial material = TlsFiles.load(TlsSettings.of(directory.resolve("alpha.crt"),
                directory.resolve("alpha.key"), directory.resolve("ca.crt")));

        assertThat(material.sites()).containsExactly("alpha");
        assertThat(material.leaf().getSubjectAlternativeNames()).extracting(name -> (Object) name.get(1))
                .containsExactlyInAnyOrder("urn:distgate:site:alpha", "gw.alpha.example", "192.0.2.7");
        assertThat(material.issuingCa()).isEqualTo(ca.certificate());
    }

    @Test
    void keysAreWrittenForTheOwnerOnly() throws Exception {
        DevCa ca = DevCa.create();
        ca.writeTo(directory);
        ca.issueSite("alpha").writeTo(directory);

        for (String key : List.of("ca.key", "alpha.key")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve(key))))
                    .as(key).isEqualTo("rw-------");
        }
    }

    @Test
    void caIsAnEcP256CaValidForTenYearsThatSignsCertificatesAndCrlsOnly() {
        X509Certificate ca = DevCa.create().certificate();

        assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(ca.getPublicKey().toString()).contains("secp256r1");
        assertThat(ca.getBasicConstraints()).isEqualTo(0);
        // keyUsage bits: digitalSignature(0) .. keyCertSign(5), cRLSign(6)
        assertThat(ca.getKeyUsage()).containsExactly(false, false, false, false, false, true, true, false, false);
        assertThat(Duration.between(Instant.now(), ca.getNotAfter().toInstant()))
                .isBetween(DevCa.CA_VALIDITY.minusDays(1), DevCa.CA_VALIDITY);
    }

    @Test
    void siteCertificateIsForServerAndClientAuthAndLasts825DaysByDefault() throws Exception {
        X509Certificate site = DevCa.create().issueSite("beta").certificate();

        assertThat(site.getExtendedKeyUsage()).containsExactlyInAnyOrder(SERVER_AUTH, CLIENT_AUTH);
        assertThat(site.getBasicConstraints()).isEqualTo(-1);
        assertThat(site.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(Duration.between(Instant.now(), site.getNotAfter().toInstant()))
                .isBetween(Duration.ofDays(824), Duration.ofDays(825));
    }

    @Test
    void issuesCertificateWithExactlyTheGivenDates() {
        Instant notBefore = Instant.parse("2020-01-01T00:00:00Z");
        Instant notAfter = Instant.parse("2021-01-01T00:00:00Z");

        X509Certificate old = DevCa.create().issueSite("alpha", notBefore, notAfter, List.of(), List.of()).certificate();

        assertThat(old.getNotBefore().toInstant()).isEqualTo(notBefore);
        assertThat(old.getNotAfter().toInstant()).isEqualTo(notAfter);
    }

    @Test
    void loadedCaIssuesCertificatesTheWrittenCaCertificateVerifies() throws Exception {
        DevCa ca = DevCa.create();
        ca.writeTo(directory);

        X509Certificate later = DevCa.load(directory).issueSite("gamma").certificate();

        later.verify(ca.certificate().getPublicKey());
    }

    @Test
    void certificateOfAnotherCaDoesNotVerifyAgainstThisOne() {
        DevCa ca = DevCa.create();
        X509Certificate foreign = DevCa.create().issueSite("alpha").certificate();

        assertThat(foreign.getIssuerX500Principal()).isNotEqualTo(ca.certificate().getSubjectX500Principal());
        assertThatThrownBy(() -> foreign.verify(ca.certificate().getPublicKey()))
                .isInstanceOf(java.security.SignatureException.class);
    }

    @Test
    void neverOverwritesAnExistingKey() {
        DevCa.create().writeTo(directory);

        assertThatThrownBy(() -> DevCa.create().writeTo(directory)).isInstanceOf(TlsConfigException.class)
                .hasMessageStartingWith(directory.resolve("ca.key") + ": ").hasMessageContaining("already exists");
    }

    @Test
    void refusesInvalidSiteName() {
        assertThatThrownBy(() -> DevCa.create().issueSite("Alpha")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lower-case");
    }

    @Test
    void toStringNeverShowsTheKey() {
        DevCa ca = DevCa.create();
        IssuedCertificate site = ca.issueSite("alpha");

        assertThat(ca.toString()).contains("key=****");
        assertThat(site.toString()).contains("privateKey=****").doesNotContain(site.privateKey().toString());
    }
}
