package io.distgate.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Certificates for the tests, made once per test class: a CA with sites {@code alpha} (the
 * server), {@code beta} (the client) and {@code gamma} (configured nowhere), an expired
 * {@code beta}, and a second CA that nobody trusts with its own {@code alpha} and {@code beta}.
 */
final class TestPki {

    static final String SERVER_SITE = "alpha";
    static final String CLIENT_SITE = "beta";
    static final String UNCONFIGURED_SITE = "gamma";

    final DevCa ca = DevCa.create();
    final DevCa otherCa = DevCa.create();
    final IssuedCertificate alpha = ca.issueSite(SERVER_SITE);
    final IssuedCertificate beta = ca.issueSite(CLIENT_SITE);
    final IssuedCertificate gamma = ca.issueSite(UNCONFIGURED_SITE);
    // Distinct names, same site: each writes its own files.
    final IssuedCertificate expiredBeta = ca.issue("beta-expired", Set.of(CLIENT_SITE),
            Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1)), List.of(), List.of());
    final IssuedCertificate notYetValidBeta = ca.issue("beta-future", Set.of(CLIENT_SITE),
            Instant.now().plus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), List.of(), List.of());
    final IssuedCertificate foreignAlpha = otherCa.issue("alpha-foreign", Set.of(SERVER_SITE),
            Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)), List.of(), List.of());
    final IssuedCertificate foreignBeta = otherCa.issue("beta-foreign", Set.of(CLIENT_SITE),
            Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)), List.of(), List.of());

    private final Path directory;

    TestPki(Path directory) {
        this.directory = directory;
        ca.writeTo(directory);
    }

    /** Settings pointing at {@code certificate}'s files (written on first use) and the trusted CA. */
    TlsSettings settings(IssuedCertificate certificate, TlsProvider provider) {
        if (!Files.exists(certificate.certificateFile(directory))) {
            certificate.writeTo(directory);
        }
        return TlsSettings.of(certificate.certificateFile(directory), certificate.keyFile(directory),
                directory.resolve(DevCa.CA_CERTIFICATE_FILE)).withProvider(provider);
    }

    /**
     * Material without the load-time checks, trusting our CA: the only way to make a context
     * that presents an expired or foreign certificate, which {@link TlsFiles#load} refuses.
     */
    TlsMaterial unchecked(IssuedCertificate certificate) {
        return new TlsMaterial(List.of(certificate.certificate()), certificate.privateKey(),
                List.of(ca.certificate()), ca.certificate());
    }
}
