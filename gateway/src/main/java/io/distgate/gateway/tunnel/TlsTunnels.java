package io.distgate.gateway.tunnel;

import io.distgate.bridge.netty.NettyTransport;
import io.distgate.bridge.session.StreamAcceptor;
import io.distgate.bridge.site.NodePatterns;
import io.distgate.bridge.site.TunnelFarSite;
import io.distgate.gateway.config.PeerConfig;
import io.distgate.gateway.config.TlsConfig;
import io.distgate.gateway.config.TunnelConfig;
import io.distgate.tls.CertificateExpiry;
import io.distgate.tls.TlsContexts;
import io.distgate.tls.TlsFiles;
import io.distgate.tls.TlsMaterial;
import io.distgate.tls.TlsProvider;
import io.distgate.tls.TlsSettings;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * This gateway's tunnels to its peers: the listener that accepts them, the dialers that keep
 * them up, and the streams sessions use. Built from the configuration's {@code peers} and
 * {@code tunnel} sections.
 */
public final class TlsTunnels implements TunnelTransport {

    private final TunnelContext context;
    private final TlsMaterial material;
    private final List<TunnelDialer> dialers = new ArrayList<>();
    private final String provider;
    private TunnelServer server;

    private TlsTunnels(TunnelContext context, TlsMaterial material, String provider) {
        this.context = context;
        this.material = material;
        this.provider = provider;
    }

    /**
     * Loads the TLS files (failing with the file and the problem), listens and starts dialling.
     *
     * @param localSite the site this gateway speaks for: its certificate must name it
     */
    public static TlsTunnels start(String localSite, TunnelConfig config, List<PeerConfig> peers,
            StreamAcceptor.LocalSites localSites, TunnelListener listener, EventLoopGroup group, NettyTransport transport) {
        TlsConfig tls = config.tls();
        TlsSettings settings = new TlsSettings(tls.cert(), tls.key(), tls.ca(),
                TlsProvider.valueOf(tls.provider().toUpperCase(Locale.ROOT)), tls.allowTls12(), config.handshakeTimeout());
        TlsMaterial material = TlsFiles.load(settings);
        if (!material.sites().contains(localSite)) {
            throw new IllegalStateException(tls.cert() + ": the certificate names site(s) " + material.sites()
                    + ", but this gateway serves site " + localSite + " (its URI SAN must be urn:distgate:site:" + localSite + ")");
        }
        Map<String, NodePatterns> patterns = new LinkedHashMap<>();
        peers.forEach(p -> patterns.put(p.site(), p.patterns()));
        TunnelContext context = new TunnelContext(config, localSites, patterns, listener, new PeerLinks());
        SslContext probe = TlsContexts.client(settings, material, peers.get(0).site());
        TlsTunnels tunnels = new TlsTunnels(context, material, TlsContexts.providerOf(probe).name().toLowerCase(Locale.ROOT));
        if (config.listen() != null) {
            SslContext serverContext = TlsContexts.server(settings, material, Set.copyOf(patterns.keySet()));
            tunnels.server = TunnelServer.bind(config.listen(), serverContext, settings, Set.copyOf(patterns.keySet()),
                    context, group, transport);
        }
        for (PeerConfig peer : peers) {
            if (peer.dial() != null) {
                SslContext client = TlsContexts.client(settings, material, peer.site());
                TunnelDialer dialer = new TunnelDialer(peer.site(), peer.dial(), client, settings, context, group, transport);
                tunnels.dialers.add(dialer);
                dialer.start();
            }
        }
        return tunnels;
    }

    @Override
    public TunnelFarSite.Streams streamsTo(String peerSite) {
        return context.tunnels().streamsTo(peerSite);
    }

    @Override
    public boolean isUp(String peerSite) {
        return context.tunnels().isUp(peerSite);
    }

    /** The port tunnels are accepted on, or -1 when this gateway only dials. */
    public int listenPort() {
        return server != null ? server.port() : -1;
    }

    /** openssl or jdk: the TLS provider actually in use. */
    public String provider() {
        return provider;
    }

    public CertificateExpiry expiry() {
        return CertificateExpiry.of(material, Clock.systemUTC());
    }

    @Override
    public String describe() {
        return "transport=tls provider=" + provider + " listen=" + (server != null ? "127.0.0.1:" + server.port() : "off");
    }

    /** Stops dialling and accepting, sends GOAWAY on every tunnel and closes them after {@code drainMillis}. */
    @Override
    public void shutdown(long drainMillis) {
        dialers.forEach(TunnelDialer::stop);
        if (server != null) {
            server.close();
        }
        context.tunnels().shutdown(drainMillis);
    }
}
