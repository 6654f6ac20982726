package io.distgate.gateway.tunnel;

import io.distgate.bridge.netty.NettyTransport;
import io.distgate.gateway.config.HostPort;
import io.distgate.tls.TlsContexts;
import io.distgate.tls.TlsSettings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.Set;

/** Accepts tunnels from peer gateways: TLS with a client certificate of a configured peer site, then HTTP/2. */
final class TunnelServer {

    private final Channel server;

    private TunnelServer(Channel server) {
        this.server = server;
    }

    static TunnelServer bind(HostPort address, SslContext sslContext, TlsSettings settings, Set<String> peerSites,
            TunnelContext context, EventLoopGroup group, NettyTransport transport) {
        ChannelFuture bind = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        transport.limitUnsentBytes(ch, H2Pipeline.UNSENT_BYTES);
                        ch.pipeline().addLast("ssl", TlsContexts.newHandler(sslContext, ch.alloc(), settings));
                        ch.pipeline().addLast("negotiation", new TunnelNegotiation(H2Tunnel.Role.ACCEPTED, peerSites,
                                context, tunnel -> { }));
                    }
                })
                .bind(address.toAddress())
                .awaitUninterruptibly();
        if (!bind.isSuccess()) {
            throw new IllegalStateException("cannot listen for tunnels on " + address + ": " + bind.cause().getMessage(),
                    bind.cause());
        }
        return new TunnelServer(bind.channel());
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    void close() {
        server.close();
    }
}
