package io.distgate.tls;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A TLS server and client on loopback (server on port 0), each reporting one {@link Outcome}.
 *
 * <p>The server's outcome is its handshake plus {@link TlsPeer#afterHandshake}. The client's
 * success needs one more step, a byte echoed by the server: in TLS 1.3 the client finishes its
 * handshake before the server has judged the client certificate, so only an answer proves the
 * server accepted it.
 */
final class TlsLoopback {

    static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);

    /** What one side saw: the peer, or why it failed. */
    record Outcome(TlsPeer peer, Throwable failure) {
        boolean succeeded() {
            return peer != null;
        }

        String reason() {
            return failure == null ? "none" : TlsFailureReason.reasonOf(failure);
        }

        @Override
        public String toString() {
            return succeeded() ? "success " + peer : "failure " + reason() + " " + failure;
        }
    }

    /** Both sides' outcomes of one connection. */
    record Result(Outcome server, Outcome client) {
    }

    private TlsLoopback() {
    }

    static Result connect(EventLoopGroup group, TlsSettings settings, SslContext serverContext, Set<String> serverAllows,
            SslContext clientContext, String clientExpects) throws Exception {
        CompletableFuture<Outcome> server = new CompletableFuture<>();
        CompletableFuture<Outcome> client = new CompletableFuture<>();
        Channel listener = listen(group, settings, serverContext, serverAllows, server);
        Channel connection = null;
        try {
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            SslHandler ssl = TlsContexts.newHandler(clientContext, ch.alloc(), "127.0.0.1", port, settings);
                            ch.pipeline().addLast(ssl, new Probe(ssl, Set.of(clientExpects), client, true));
                        }
                    })
                    .connect(listener.localAddress()).sync().channel();
            return new Result(await(server), await(client));
        } finally {
            close(connection);
            close(listener);
        }
    }

    /** The server's outcome when a client connects over TCP and then sends nothing at all. */
    static Outcome silentClient(EventLoopGroup group, TlsSettings settings, SslContext serverContext,
            Set<String> serverAllows) throws Exception {
        CompletableFuture<Outcome> server = new CompletableFuture<>();
        Channel listener = listen(group, settings, serverContext, serverAllows, server);
        Channel connection = null;
        try {
            connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(listener.localAddress()).sync().channel();
            return await(server);
        } finally {
            close(connection);
            close(listener);
        }
    }

    private static Channel listen(EventLoopGroup group, TlsSettings settings, SslContext serverContext,
            Set<String> serverAllows, CompletableFuture<Outcome> outcome) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = TlsContexts.newHandler(serverContext, ch.alloc(), settings);
                        ch.pipeline().addLast(ssl, new Probe(ssl, serverAllows, outcome, false));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    private static Outcome await(CompletableFuture<Outcome> outcome) throws Exception {
        return outcome.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void close(Channel channel) throws InterruptedException {
        if (channel != null && !channel.close().await(DEADLINE.toMillis())) {
            throw new AssertionError("channel did not close within " + DEADLINE);
        }
    }

    /** Reports the outcome of one side; the server echoes, the client pings once after its handshake. */
    private static final class Probe extends ChannelInboundHandlerAdapter {
        private final SslHandler ssl;
        private final Set<String> allowedSites;
        private final CompletableFuture<Outcome> outcome;
        private final boolean isClient;
        private TlsPeer peer;
        private Throwable lastFailure;

        Probe(SslHandler ssl, Set<String> allowedSites, CompletableFuture<Outcome> outcome, boolean isClient) {
            this.ssl = ssl;
            this.allowedSites = allowedSites;
            this.outcome = outcome;
            this.isClient = isClient;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (!(event instanceof SslHandshakeCompletionEvent completion)) {
                ctx.fireUserEventTriggered(event);
                return;
            }
            if (!completion.isSuccess()) {
                fail(ctx, completion.cause());
                return;
            }
            try {
                peer = TlsPeer.afterHandshake(ssl, allowedSites);
            } catch (PeerRejectedException e) {
                fail(ctx, e);
                return;
            }
            if (isClient) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(PING));
            } else {
                outcome.complete(new Outcome(peer, null));
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (isClient) {
                ReferenceCountUtil.release(msg);
                outcome.complete(new Outcome(peer, null));
            } else {
                ctx.writeAndFlush(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(ctx, cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            outcome.complete(new Outcome(null, lastFailure != null ? lastFailure : new ClosedChannelException()));
        }

        private void fail(ChannelHandlerContext ctx, Throwable cause) {
            if (lastFailure == null) {
                lastFailure = cause;
            }
            outcome.complete(new Outcome(null, lastFailure));
            ctx.close();
        }
    }
}
