package io.distgate.gateway.tunnel;

import io.distgate.bridge.netty.NettyTransport;
import io.distgate.gateway.config.HostPort;
import io.distgate.tls.TlsContexts;
import io.distgate.tls.TlsSettings;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a tunnel to one peer up by dialling it: after a failure or a loss it dials again after
 * an exponentially growing delay (reconnect_min doubling up to reconnect_max) with up to 20 %
 * random jitter, so two gateways restarted together do not dial in lock step.
 */
final class TunnelDialer {

    private final String peerSite;
    private final HostPort address;
    private final SslContext sslContext;
    private final TlsSettings settings;
    private final TunnelContext context;
    private final EventLoopGroup group;
    private final NettyTransport transport;
    private volatile boolean stopped;
    private volatile Channel current;
    private int failures;

    TunnelDialer(String peerSite, HostPort address, SslContext sslContext, TlsSettings settings, TunnelContext context,
            EventLoopGroup group, NettyTransport transport) {
        this.peerSite = peerSite;
        this.address = address;
        this.sslContext = sslContext;
        this.settings = settings;
        this.context = context;
        this.group = group;
        this.transport = transport;
    }

    void start() {
        dial();
    }

    private void dial() {
        if (stopped) {
            return;
        }
        new Bootstrap()
                .group(group)
                .channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) context.config().handshakeTimeout().toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        transport.limitUnsentBytes(ch, H2Pipeline.UNSENT_BYTES);
                        ch.pipeline().addLast("ssl", TlsContexts.newHandler(sslContext, ch.alloc(), address.host(),
                                address.port(), settings));
                        ch.pipeline().addLast("negotiation", new TunnelNegotiation(H2Tunnel.Role.DIALLED, Set.of(peerSite),
                                context, tunnel -> failures = 0));
                    }
                })
                .connect(address.host(), address.port())
                .addListener(f -> {
                    Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
                    if (!f.isSuccess()) {
                        retry("cannot connect to " + address + ": " + f.cause().getMessage());
                        return;
                    }
                    current = ch;
                    ch.closeFuture().addListener(c -> retry("tunnel to " + address + " closed"));
                });
    }

    private void retry(String cause) {
        current = null;
        if (stopped) {
            return;
        }
        long min = context.config().reconnectMin().toMillis();
        long max = context.config().reconnectMax().toMillis();
        long base = Math.min(max, min << Math.min(failures, 20));
        long delay = base + (long) (base * 0.2 * ThreadLocalRandom.current().nextDouble());
        failures++;
        context.listener().reconnectScheduled(peerSite, delay, cause);
        group.schedule(this::dial, delay, TimeUnit.MILLISECONDS);
    }

    void stop() {
        stopped = true;
    }

    /** The connection now dialled, if any (for shutdown). */
    Channel current() {
        return current;
    }
}
