package io.distgate.it.harness;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bare TLS peer for trust tests: presents whatever certificate it is given (or none) and
 * reports whether the handshake succeeded and whether any application byte arrived.
 */
public final class TlsProbe implements AutoCloseable {

    /**
     * What one connection saw. An accepted peer gets the server's HTTP/2 SETTINGS (application
     * bytes); a refused one gets none.
     */
    public record Outcome(boolean handshakeOk, String failure, long applicationBytes) {
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    /** Connects with {@code cert}/{@code key} (both null: no client certificate), trusting anything. */
    public Outcome connect(String host, int port, Path cert, Path key) throws Exception {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .protocols("TLSv1.3").trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocolConfig(h2());
        if (cert != null) {
            builder.keyManager(cert.toFile(), key.toFile());
        }
        SslContext context = builder.build();
        CompletableFuture<Boolean> handshake = new CompletableFuture<>();
        AtomicLong bytes = new AtomicLong();
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                c.pipeline().addLast(context.newHandler(c.alloc(), host, port));
                c.pipeline().addLast(watcher(handshake, bytes));
            }
        }).connect(host, port).sync().channel();
        String failure = null;
        boolean ok;
        try {
            ok = handshake.get(15, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            ok = false;
            failure = e.getCause().toString();
        }
        // In TLS 1.3 the client finishes its handshake before the server has checked the client's
        // certificate; a refused client then gets an alert and a close, and no application byte.
        ch.closeFuture().await(5, TimeUnit.SECONDS);
        ch.close().sync();
        return new Outcome(ok, failure, bytes.get());
    }

    /** A TLS server presenting {@code cert}, requiring any client certificate; returns its port. */
    public int serve(Path cert, Path key) throws Exception {
        SslContext context = SslContextBuilder.forServer(cert.toFile(), key.toFile()).sslProvider(SslProvider.JDK)
                .protocols("TLSv1.3").trustManager(InsecureTrustManagerFactory.INSTANCE).clientAuth(ClientAuth.REQUIRE)
                .applicationProtocolConfig(h2()).build();
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                        c.pipeline().addLast(context.newHandler(c.alloc()));
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    private static ApplicationProtocolConfig h2() {
        return new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2);
    }

    private static ChannelInboundHandlerAdapter watcher(CompletableFuture<Boolean> handshake, AtomicLong bytes) {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof SslHandshakeCompletionEvent done) {
                    if (done.isSuccess()) {
                        handshake.complete(true);
                    } else {
                        handshake.completeExceptionally(done.cause());
                    }
                }
                ctx.fireUserEventTriggered(evt);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                bytes.addAndGet(((ByteBuf) msg).readableBytes());
                ((ByteBuf) msg).release();
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                handshake.completeExceptionally(new IllegalStateException("closed before the handshake finished"));
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                handshake.completeExceptionally(cause);
                ctx.close();
            }
        };
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
