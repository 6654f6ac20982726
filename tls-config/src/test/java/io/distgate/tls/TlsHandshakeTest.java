package io.distgate.tls;

import static io.distgate.tls.TestPki.CLIENT_SITE;
import static io.distgate.tls.TestPki.SERVER_SITE;
import static io.distgate.tls.TestPki.UNCONFIGURED_SITE;
import static org.assertj.core.api.Assertions.assertThat;

import io.distgate.tls.TlsLoopback.Outcome;
import io.distgate.tls.TlsLoopback.Result;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real handshakes on loopback between {@link TlsContexts#server} and {@link TlsContexts#client}
 * contexts, each with both providers. Every refusal is asserted on the side that judged the
 * certificate, by its reason label.
 */
class TlsHandshakeTest {

    @RegisterExtension
    static final EventLoopExtension LOOP = new EventLoopExtension();

    @TempDir
    static Path directory;

    private static TestPki pki;

    @BeforeAll
    static void makeCertificates() {
        pki = new TestPki(directory);
    }

    private static void requireAvailable(TlsProvider provider) {
        if (provider == TlsProvider.OPENSSL) {
            assertThat(OpenSsl.isAvailable())
                    .as("netty-tcnative BoringSSL must load on this host: %s", OpenSsl.unavailabilityCause())
                    .isTrue();
        }
    }

    private static Result connect(TlsProvider provider, SslContext server, Set<String> serverAllows,
            SslContext client, String clientExpects) throws Exception {
        return TlsLoopback.connect(LOOP.group(), pki.settings(pki.alpha, provider), server, serverAllows, client,
                clientExpects);
    }

    private static SslContext server(TlsProvider provider, IssuedCertificate presented, Set<String> peerSites) {
        return TlsContexts.server(pki.settings(pki.alpha, provider), pki.unchecked(presented), peerSites);
    }

    private static SslContext client(TlsProvider provider, IssuedCertificate presented, String expectedSite) {
        return TlsContexts.client(pki.settings(pki.beta, provider), pki.unchecked(presented), expectedSite);
    }

    /** A client built like the real one, then changed: how tests make clients the API refuses to make. */
    private static SslContextBuilder clientBuilder(TlsProvider provider, boolean allowTls12) {
        TlsSettings settings = pki.settings(pki.beta, provider).withAllowTls12(allowTls12);
        return TlsContexts.clientBuilder(settings, pki.unchecked(pki.beta), SERVER_SITE, provider);
    }

    /**
     * The client dials 127.0.0.1 while the certificates name no address at all: passing also shows
     * hostname verification is off.
     */
    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void mutualHandshakeNegotiatesTls13AndH2AndEachSideLearnsThePeerSite(TlsProvider provider) throws Exception {
        requireAvailable(provider);
        SslContext server = TlsContexts.server(pki.settings(pki.alpha, provider), Set.of(CLIENT_SITE));
        SslContext client = TlsContexts.client(pki.settings(pki.beta, provider), SERVER_SITE);
        assertThat(TlsContexts.providerOf(server)).isEqualTo(provider);
        assertThat(TlsContexts.providerOf(client)).isEqualTo(provider);

        Result result = connect(provider, server, Set.of(CLIENT_SITE), client, SERVER_SITE);

        assertThat(result.server().succeeded()).as("server: %s", result.server()).isTrue();
        assertThat(result.client().succeeded()).as("client: %s", result.client()).isTrue();
        assertThat(result.server().peer().site()).isEqualTo(CLIENT_SITE);
        assertThat(result.client().peer().site()).isEqualTo(SERVER_SITE);
        for (Outcome side : new Outcome[] {result.server(), result.client()}) {
            assertThat(side.peer().protocol()).isEqualTo("TLSv1.3");
            assertThat(side.peer().applicationProtocol()).isEqualTo("h2");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void serverAcceptsAnyConfiguredPeerSiteAndReportsWhichOneConnected(TlsProvider provider) throws Exception {
        requireAvailable(provider);
        Set<String> peers = Set.of(CLIENT_SITE, UNCONFIGURED_SITE);

        Result result = connect(provider, server(provider, pki.alpha, peers), peers,
                client(provider, pki.gamma, SERVER_SITE), SERVER_SITE);

        assertThat(result.server().succeeded()).as("server: %s", result.server()).isTrue();
        assertThat(result.server().peer().site()).isEqualTo(UNCONFIGURED_SITE);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void serverRefusesClientCertificateFromAnotherCaAsUnknownCa(TlsProvider provider) throws Exception {
        requireAvailable(provider);
        Result result = connect(provider, server(provider, pki.alpha, Set.of(CLIENT_SITE)), Set.of(CLIENT_SITE),
                client(provider, pki.foreignBeta, SERVER_SITE), SERVER_SITE);

        assertRefusedByServer(result, "unknown_ca");
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void clientRefusesServerCertificateFromAnotherCaAsUnknownCa(TlsProvider provider) throws Exception {
        requireAvailable(provider);
        Result result = connect(provider, server(provider, pki.foreignAlpha, Set.of(CLIENT_SITE)), Set.of(CLIENT_SITE),
                client(provider, pki.beta, SERVER_SITE), SERVER_SITE);

        assertRefusedByClient(result, "unknown_ca");
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void serverRefusesClientWithoutCertificateAsNoCertificate(TlsProvider provider) throws Exception {
        requireAvailable(provider);
        SslContext anonymous = clientBuilder(provider, false).keyManager((PrivateKey) null, (X509Certificate[]) null).build();

        Result result = connect(provider, server(provider, pki.alpha, Set.of(CLIENT_SITE)), Set.of(CLIENT_SITE),
                anonymous, SERVER_SITE);

        assertRefusedByServer(result, "no_certificate");
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void serverRefusesExpiredClientCertificateAsExpiredCertificate(TlsProvider provider) throws Exception {
        requireAvailable(provider);
        Result result = connect(provider, server(provider, pki.alpha, Set.of(CLIENT_SITE)), Set.of(CLIENT_SITE),
                client(provider, pki.expiredBeta, SERVER_SITE), SERVER_SITE);

        assertRefusedByServer(result, "expired_certificate");
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void serverRefusesNotYetValidClientCertificateAsNotYetValid(TlsProvider provider) throws Exception {
        requireAvailable(provider);
        Result result = connect(provider, server(provider, pki.alpha, Set.of(CLIENT_SITE)), Set.of(CLIENT_SITE),
                client(provider, pki.notYetValidBeta, SERVER_SITE), SERVER_SITE);

        assertRefusedByServer(result, "not_yet_valid");
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void serverRefusesClientOfUnconfiguredSiteAsWrongSite(TlsProvider provider) throws Exception {
        requireAvailable(provider);
        Result result = connect(provider, server(provider, pki.alpha, Set.of(CLIENT_SITE)), Set.of(CLIENT_SITE),
                client(provider, pki.gamma, SERVER_SITE), SERVER_SITE);

        assertRefusedByServer(result, "wrong_site");
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void clientRefusesServerPresentingAnotherSiteAsWrongSite(TlsProvider provider) throws Exception {
        requireAvailable(provider);
        Result result = connect(provider, server(provider, pki.gamma, Set.of(CLIENT_SITE)), Set.of(CLIENT_SITE),
                client(provider, pki.beta, SERVER_SITE), SERVER_SITE);

        assertRefusedByClient(result, "wrong_site");
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void serverRefusesTls12OnlyClientUnlessTls12IsAllowed(TlsProvider provider) throws Exception {
        requireAvailable(provider);
        SslContext tls12Client = clientBuilder(provider, true).protocols("TLSv1.2").build();

        Result result = connect(provider, server(provider, pki.alpha, Set.of(CLIENT_SITE)), Set.of(CLIENT_SITE),
                tls12Client, SERVER_SITE);

        assertThat(result.server().reason()).as("server: %s", result.server()).isEqualTo("protocol_version");
        assertThat(result.client().reason()).as("client: %s", result.client()).isEqualTo("protocol_version");
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void serverAcceptsTls12ClientWithH2WhenTls12IsAllowed(TlsProvider provider) throws Exception {
        requireAvailable(provider);
        SslContext tls12Client = clientBuilder(provider, true).protocols("TLSv1.2").build();
        SslContext server = TlsContexts.server(pki.settings(pki.alpha, provider).withAllowTls12(true),
                pki.unchecked(pki.alpha), Set.of(CLIENT_SITE));

        Result result = connect(provider, server, Set.of(CLIENT_SITE), tls12Client, SERVER_SITE);

        assertThat(result.server().succeeded()).as("server: %s", result.server()).isTrue();
        assertThat(result.client().succeeded()).as("client: %s", result.client()).isTrue();
        assertThat(result.server().peer().protocol()).isEqualTo("TLSv1.2");
        // RFC 9113 §9.2.2: only ephemeral key exchange with an AEAD cipher is acceptable for h2.
        assertThat(result.server().peer().cipherSuite()).startsWith("TLS_ECDHE_").doesNotContain("CBC");
        assertThat(result.server().peer().applicationProtocol()).isEqualTo("h2");
        assertThat(result.server().peer().site()).isEqualTo(CLIENT_SITE);
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void serverRefusesClientThatDoesNotOfferH2AsNoH2(TlsProvider provider) throws Exception {
        requireAvailable(provider);
        SslContext noAlpn = clientBuilder(provider, false).applicationProtocolConfig(ApplicationProtocolConfig.DISABLED)
                .build();

        Result result = connect(provider, server(provider, pki.alpha, Set.of(CLIENT_SITE)), Set.of(CLIENT_SITE),
                noAlpn, SERVER_SITE);

        assertThat(result.server().reason()).as("server: %s", result.server()).isEqualTo("no_h2");
        assertThat(result.client().reason()).as("client: %s", result.client()).isEqualTo("no_h2");
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void serverEndsHandshakeOfSilentClientAtTheDeadline(TlsProvider provider) throws Exception {
        requireAvailable(provider);
        TlsSettings settings = pki.settings(pki.alpha, provider).withHandshakeTimeout(Duration.ofMillis(300));
        SslContext server = TlsContexts.server(settings, pki.unchecked(pki.alpha), Set.of(CLIENT_SITE));

        Outcome outcome = TlsLoopback.silentClient(LOOP.group(), settings, server, Set.of(CLIENT_SITE));

        assertThat(outcome.reason()).as("server: %s", outcome).isEqualTo("handshake_timeout");
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void gatewaysOnDifferentProvidersCompleteTheHandshake(TlsProvider serverProvider) throws Exception {
        requireAvailable(TlsProvider.OPENSSL);
        TlsProvider clientProvider = serverProvider == TlsProvider.OPENSSL ? TlsProvider.JDK : TlsProvider.OPENSSL;

        Result result = connect(serverProvider, server(serverProvider, pki.alpha, Set.of(CLIENT_SITE)),
                Set.of(CLIENT_SITE), client(clientProvider, pki.beta, SERVER_SITE), SERVER_SITE);

        assertThat(result.server().succeeded()).as("server: %s", result.server()).isTrue();
        assertThat(result.client().succeeded()).as("client: %s", result.client()).isTrue();
        assertThat(result.client().peer().protocol()).isEqualTo("TLSv1.3");
    }

    /** The server names the reason; the client, whose certificate it was, learns of it from the alert. */
    private static void assertRefusedByServer(Result result, String reason) {
        assertThat(result.server().reason()).as("server: %s", result.server()).isEqualTo(reason);
        assertThat(result.client().reason()).as("client: %s", result.client()).isEqualTo("peer_refused");
    }

    private static void assertRefusedByClient(Result result, String reason) {
        assertThat(result.client().reason()).as("client: %s", result.client()).isEqualTo(reason);
        assertThat(result.server().reason()).as("server: %s", result.server()).isEqualTo("peer_refused");
    }
}
