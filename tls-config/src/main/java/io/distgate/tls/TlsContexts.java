package io.distgate.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Builds the TLS contexts of the link between gateways: TLS 1.3 (1.2 only when allowed), mutual
 * authentication against the configured CA bundle only, ALPN {@code h2}, and the peer's site
 * checked inside the handshake.
 *
 * <p>Hostname verification is off on purpose: gateways are identified by the site their
 * certificate names ({@link SiteIdentity}), not by the address they were dialled at, which may be
 * a load balancer, a tunnel or a bare IP.
 *
 * <p>The OpenSSL provider (BoringSSL) is preferred; when it cannot be loaded the JDK's engine is
 * used and a WARN line says so ({@link #providerOf} tells which one a context uses). Both call the
 * same {@link SiteTrustManager}, so every refusal carries the same reason labels.
 */
public final class TlsContexts {

    /**
     * TLS 1.3 suites, then the TLS 1.2 suites HTTP/2 allows: ephemeral key exchange and AEAD only
     * (RFC 9113 §9.2.2). Netty's defaults still list CBC and static-RSA suites for TLS 1.2, which
     * an h2 peer must refuse with INADEQUATE_SECURITY.
     */
    static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /**
     * ALPN offering only {@code h2}. NO_ADVERTISE/ACCEPT are the only behaviours OpenSSL supports,
     * and they let a handshake without h2 succeed: {@link TlsPeer#afterHandshake} refuses it.
     */
    static final ApplicationProtocolConfig ALPN_H2 = new ApplicationProtocolConfig(Protocol.ALPN,
            SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2);

    private TlsContexts() {
    }

    /** The server context: loads and checks the files, requires a client certificate of one of {@code peerSites}. */
    public static SslContext server(TlsSettings settings, Set<String> peerSites) {
        return server(settings, TlsFiles.load(settings), peerSites);
    }

    /** As {@link #server(TlsSettings, Set)}, with files already loaded (one load serves both roles on reload). */
    public static SslContext server(TlsSettings settings, TlsMaterial material, Set<String> peerSites) {
        return build(serverBuilder(settings, material, peerSites, ProviderChoice.resolve(settings.provider())), settings);
    }

    /** The client context for dialling {@code expectedSite}: a server certificate of any other site fails the handshake. */
    public static SslContext client(TlsSettings settings, String expectedSite) {
        return client(settings, TlsFiles.load(settings), expectedSite);
    }

    /** As {@link #client(TlsSettings, String)}, with files already loaded. */
    public static SslContext client(TlsSettings settings, TlsMaterial material, String expectedSite) {
        return build(clientBuilder(settings, material, expectedSite, ProviderChoice.resolve(settings.provider())), settings);
    }

    /** The provider a context built here actually uses. */
    public static TlsProvider providerOf(SslContext context) {
        return context instanceof ReferenceCountedOpenSslContext ? TlsProvider.OPENSSL : TlsProvider.JDK;
    }

    /** A server-side handler with the handshake deadline of {@code settings}. */
    public static SslHandler newHandler(SslContext context, ByteBufAllocator allocator, TlsSettings settings) {
        SslHandler handler = context.newHandler(allocator);
        handler.setHandshakeTimeoutMillis(settings.handshakeTimeout().toMillis());
        return handler;
    }

    /**
     * A client-side handler with the handshake deadline of {@code settings}. The peer's host goes
     * into SNI only, which helps a TLS-routing load balancer in between; it is not verified.
     */
    public static SslHandler newHandler(SslContext context, ByteBufAllocator allocator, String peerHost, int peerPort,
            TlsSettings settings) {
        SslHandler handler = context.newHandler(allocator, peerHost, peerPort);
        handler.setHandshakeTimeoutMillis(settings.handshakeTimeout().toMillis());
        return handler;
    }

    static SslContextBuilder serverBuilder(TlsSettings settings, TlsMaterial material, Set<String> peerSites,
            TlsProvider provider) {
        SslContextBuilder builder = SslContextBuilder.forServer(material.privateKey(), material.chain())
                .clientAuth(ClientAuth.REQUIRE);
        return common(builder, settings, material, peerSites, provider);
    }

    static SslContextBuilder clientBuilder(TlsSettings settings, TlsMaterial material, String expectedSite,
            TlsProvider provider) {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .keyManager(material.privateKey(), material.chain())
                .endpointIdentificationAlgorithm(null);
        return common(builder, settings, material, Set.of(SiteIdentity.requireValidSiteName(expectedSite)), provider);
    }

    private static SslContextBuilder common(SslContextBuilder builder, TlsSettings settings, TlsMaterial material,
            Set<String> peerSites, TlsProvider provider) {
        return builder
                .sslProvider(provider == TlsProvider.OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK)
                .trustManager(SiteTrustManager.forProvider(material.caBundle(), peerSites, provider))
                .protocols(settings.allowTls12() ? new String[] {"TLSv1.3", "TLSv1.2"} : new String[] {"TLSv1.3"})
                .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(ALPN_H2);
    }

    private static SslContext build(SslContextBuilder builder, TlsSettings settings) {
        try {
            return builder.build();
        } catch (SSLException | RuntimeException e) {
            throw new TlsConfigException(settings.certificateChain(), "cannot build a TLS context: " + e.getMessage(), e);
        }
    }
}
