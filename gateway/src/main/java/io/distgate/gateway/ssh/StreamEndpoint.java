package io.distgate.gateway.ssh;

import io.distgate.bridge.netty.NettyTransport;
import io.distgate.bridge.session.StreamAcceptor;
import io.distgate.bridge.site.NodePatterns;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;

/**
 * A loopback listener that takes the streams of one peer site: each TCP connection is one
 * session or lookup, in the tunnel stream protocol. An SSH server (the embedded one, or an
 * OpenSSH bastion) forwards the peer's channels here. Loopback only: whoever can connect to it
 * speaks for the peer site, so it must not be reachable from anywhere else.
 */
final class StreamEndpoint {

    private final Channel server;

    private StreamEndpoint(Channel server) {
        this.server = server;
    }

    static StreamEndpoint bind(InetSocketAddress address, String peerSite, NodePatterns peerNodes,
            StreamAcceptor.LocalSites localSites, EventLoopGroup group, NettyTransport transport) {
        if (!address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("stream endpoint " + address + " must be a loopback address");
        }
        ChannelFuture bind = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        StreamAcceptor.install(ch, localSites, peerSite, peerNodes::matches);
                    }
                })
                .bind(address)
                .awaitUninterruptibly();
        if (!bind.isSuccess()) {
            throw new IllegalStateException("cannot take streams of site " + peerSite + " on " + address + ": "
                    + bind.cause().getMessage(), bind.cause());
        }
        return new StreamEndpoint(bind.channel());
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    void close() {
        server.close();
    }
}
