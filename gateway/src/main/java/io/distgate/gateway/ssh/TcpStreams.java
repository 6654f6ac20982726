package io.distgate.gateway.ssh;

import io.distgate.bridge.netty.NettyTransport;
import io.distgate.bridge.site.TunnelFarSite;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Streams as loopback TCP connections to an SSH forwarder: the local end of a local port
 * forward (dialling side) or the remote-forwarded port (listening side). SSH carries each
 * connection as one channel, with its own window.
 */
final class TcpStreams implements TunnelFarSite.Streams {

    private final Supplier<InetSocketAddress> target;
    private final BooleanSupplier up;
    private final EventLoopGroup group;
    private final NettyTransport transport;
    private final String peerSite;

    TcpStreams(String peerSite, Supplier<InetSocketAddress> target, BooleanSupplier up, EventLoopGroup group,
            NettyTransport transport) {
        this.peerSite = peerSite;
        this.target = target;
        this.up = up;
        this.group = group;
        this.transport = transport;
    }

    @Override
    public boolean isUp() {
        return up.getAsBoolean() && target.get() != null;
    }

    @Override
    public CompletableFuture<Channel> open() {
        return open(null);
    }

    /** The connection is made on the node connection's event loop when there is one, so the relay stays on one thread. */
    @Override
    public CompletableFuture<Channel> open(EventLoop near) {
        InetSocketAddress address = target.get();
        if (address == null || !up.getAsBoolean()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the SSH tunnel to site " + peerSite + " is down"));
        }
        CompletableFuture<Channel> result = new CompletableFuture<>();
        new Bootstrap().group(near != null ? near : group).channel(transport.socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // The stream handlers are added by whoever uses the stream.
                    }
                })
                .connect(address)
                .addListener(f -> {
                    if (f.isSuccess()) {
                        result.complete(((io.netty.channel.ChannelFuture) f).channel());
                    } else {
                        result.completeExceptionally(f.cause());
                    }
                });
        return result;
    }
}
