package io.distgate.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CertificateExpiryTest {

    private static final DevCa CA = DevCa.create();
    private static final Instant NOT_AFTER = Instant.parse("2030-06-01T00:00:00Z");

    private static TlsMaterial materialExpiringAt(Instant notAfter) {
        IssuedCertificate leaf = CA.issue("alpha", Set.of("alpha"), notAfter.minus(Duration.ofDays(90)), notAfter,
                List.of(), List.of());
        return new TlsMaterial(List.of(leaf.certificate()), leaf.privateKey(), List.of(CA.certificate()),
                CA.certificate());
    }

    @Test
    void reportsSecondsUntilLeafAndIssuingCaExpire() {
        Instant now = NOT_AFTER.minus(Duration.ofDays(10));

        CertificateExpiry expiry = CertificateExpiry.of(materialExpiringAt(NOT_AFTER), Clock.fixed(now, ZoneOffset.UTC));

        assertThat(expiry.leafSeconds()).isEqualTo(Duration.ofDays(10).toSeconds());
        assertThat(expiry.caSeconds()).isEqualTo(
                Duration.between(now, CA.certificate().getNotAfter().toInstant()).toSeconds());
        assertThat(expiry.caSeconds()).isGreaterThan(expiry.leafSeconds());
    }

    @Test
    void goesNegativeOnceExpiredSoAlertsKeepFiring() {
        Clock afterExpiry = Clock.fixed(NOT_AFTER.plusSeconds(3600), ZoneOffset.UTC);

        assertThat(CertificateExpiry.of(materialExpiringAt(NOT_AFTER), afterExpiry).leafSeconds()).isEqualTo(-3600);
    }
}
