package io.distgate.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TlsSettingsTest {

    private static final TlsSettings DEFAULTS = TlsSettings.of(Path.of("a.crt"), Path.of("a.key"), Path.of("ca.crt"));

    @Test
    void defaultsPreferOpenSslAllowOnlyTls13AndWaitTenSeconds() {
        assertThat(DEFAULTS.provider()).isEqualTo(TlsProvider.OPENSSL);
        assertThat(DEFAULTS.allowTls12()).isFalse();
        assertThat(DEFAULTS.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void refusesHandshakeTimeoutOutsideItsRange() {
        assertThatThrownBy(() -> DEFAULTS.withHandshakeTimeout(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("handshakeTimeout");
        assertThatThrownBy(() -> DEFAULTS.withHandshakeTimeout(Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesMissingPaths() {
        assertThatThrownBy(() -> TlsSettings.of(null, Path.of("a.key"), Path.of("ca.crt")))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("certificateChain");
    }

    @Test
    void serverContextRefusesAnEmptyPeerSiteSetRatherThanAcceptingNobody() {
        DevCa ca = DevCa.create();
        IssuedCertificate alpha = ca.issueSite("alpha");
        TlsMaterial material = new TlsMaterial(java.util.List.of(alpha.certificate()), alpha.privateKey(),
                java.util.List.of(ca.certificate()), ca.certificate());

        assertThatThrownBy(() -> TlsContexts.server(DEFAULTS, material, Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no peer site");
        assertThatThrownBy(() -> TlsContexts.client(DEFAULTS, material, "Not A Site"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
