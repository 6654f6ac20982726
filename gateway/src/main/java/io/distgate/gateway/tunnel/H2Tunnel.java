package io.distgate.gateway.tunnel;

import io.distgate.bridge.relay.CloseReason;
import io.distgate.bridge.relay.Legs;
import io.distgate.bridge.session.StreamAcceptor;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/2 connection to a peer gateway, in either role. The client opens streams; since an
 * HTTP/2 server cannot, the client also keeps a few "reverse" streams open that the server
 * answers when it needs a stream of its own (docs/tunnel-protocol.md). Either way, each stream
 * carries one session or one lookup.
 */
final class H2Tunnel {

    enum Role { DIALLED, ACCEPTED }

    /** Idle reverse streams the client keeps open for the server to use. */
    static final int REVERSE_STREAMS = 4;

    private final Channel parent;
    private final Role role;
    private final String peerSite;
    private final TunnelContext context;
    private final Set<Channel> streams = ConcurrentHashMap.newKeySet();
    /** Server role: reverse streams the client offered, not yet used (event loop only). */
    private final ArrayDeque<Channel> idleReverse = new ArrayDeque<>();
    /** Server role: stream requests waiting for the client to offer a reverse stream (event loop only). */
    private final ArrayDeque<CompletableFuture<Channel>> waiting = new ArrayDeque<>();
    private volatile boolean usable = true;

    H2Tunnel(Channel parent, Role role, String peerSite, TunnelContext context) {
        this.parent = parent;
        this.role = role;
        this.peerSite = peerSite;
        this.context = context;
    }

    String peerSite() {
        return peerSite;
    }

    Role role() {
        return role;
    }

    Channel parent() {
        return parent;
    }

    boolean isUp() {
        return usable && parent.isActive();
    }

    /** Runs once the HTTP/2 handlers are in place. */
    void started() {
        if (role == Role.DIALLED) {
            for (int i = 0; i < REVERSE_STREAMS; i++) {
                offerReverseStream();
            }
        }
        parent.closeFuture().addListener(f -> closed());
    }

    /** A stream to the peer for one session or lookup. */
    CompletableFuture<Channel> openStream() {
        if (!isUp()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the tunnel to site " + peerSite + " is down"));
        }
        return role == Role.DIALLED ? openForward() : takeReverse();
    }

    private CompletableFuture<Channel> openForward() {
        CompletableFuture<Channel> result = new CompletableFuture<>();
        new Http2StreamChannelBootstrap(parent).handler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast("h2", H2StreamAdapter.request(H2StreamAdapter.STREAM_PATH, peerSite));
                track(ch);
            }
        }).open().addListener(f -> {
            if (f.isSuccess()) {
                result.complete((Channel) f.getNow());
            } else {
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }

    private CompletableFuture<Channel> takeReverse() {
        CompletableFuture<Channel> result = new CompletableFuture<>();
        parent.eventLoop().execute(() -> {
            Channel stream;
            while ((stream = idleReverse.poll()) != null) {
                if (stream.isActive()) {
                    result.complete(stream);
                    return;
                }
            }
            waiting.add(result);
            parent.eventLoop().schedule(() -> {
                if (waiting.remove(result)) {
                    result.completeExceptionally(new IllegalStateException("site " + peerSite
                            + " offered no stream within " + context.config().lookupTimeout().toMillis() + " ms"));
                }
            }, context.config().lookupTimeout().toMillis(), TimeUnit.MILLISECONDS);
        });
        return result;
    }

    /** Client role: offers the server one more stream to start a session or lookup on. */
    private void offerReverseStream() {
        if (!isUp()) {
            return;
        }
        new Http2StreamChannelBootstrap(parent).handler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast("h2", H2StreamAdapter.request(H2StreamAdapter.REVERSE_PATH, peerSite));
                ch.pipeline().addLast("reverse", new ReverseStream());
                track(ch);
            }
        }).open();
    }

    /** Server role: a stream the client opened; its request headers say what it is for. */
    void acceptStream(Http2StreamChannel ch) {
        track(ch);
        ch.pipeline().addLast("h2", H2StreamAdapter.response());
        ch.pipeline().addLast("route", new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (!(evt instanceof Http2Headers headers)) {
                    ctx.fireUserEventTriggered(evt);
                    return;
                }
                String path = String.valueOf(headers.path());
                ctx.pipeline().remove(this);
                if (H2StreamAdapter.STREAM_PATH.equals(path)) {
                    StreamAcceptor.install(ch, context.localSites(), peerSite, context.peerNodes(peerSite)::matches);
                } else if (H2StreamAdapter.REVERSE_PATH.equals(path)) {
                    offered(ch);
                } else {
                    ctx.close();
                }
            }
        });
    }

    private void offered(Channel reverse) {
        CompletableFuture<Channel> next;
        while ((next = waiting.poll()) != null) {
            if (next.complete(reverse)) {
                return;
            }
        }
        idleReverse.add(reverse);
    }

    /** Client role, on a reverse stream: the server answered, so it carries a stream of the server's. */
    private final class ReverseStream extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (!(evt instanceof Http2Headers)) {
                ctx.fireUserEventTriggered(evt);
                return;
            }
            ctx.pipeline().remove(this);
            StreamAcceptor.install(ctx.channel(), context.localSites(), peerSite, context.peerNodes(peerSite)::matches);
            offerReverseStream();
        }
    }

    private void track(Channel stream) {
        streams.add(stream);
        stream.closeFuture().addListener(f -> streams.remove(stream));
    }

    void roundTrip(long nanos) {
        context.listener().roundTrip(peerSite, nanos);
    }

    /** The peer will take no new streams; running sessions go on. */
    void goingAway(String why) {
        usable = false;
        context.listener().tunnelDraining(peerSite, role.name().toLowerCase(), why);
    }

    /** Liveness lost or a fatal error: every session over the tunnel ends now, at both ends. */
    void die(String why) {
        CloseReason reason = new CloseReason(CloseReason.TUNNEL_DOWN, why);
        for (Channel stream : streams) {
            Legs.markReason(stream, reason);
        }
        Legs.close(parent, reason);
    }

    /** Graceful shutdown: GOAWAY now, close after {@code drainMillis} whatever is still running. */
    void shutdown(long drainMillis) {
        usable = false;
        if (!parent.isActive()) {
            return;
        }
        parent.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
        CloseReason reason = new CloseReason(CloseReason.SHUTDOWN, "gateway shutting down");
        parent.eventLoop().schedule(() -> {
            streams.forEach(s -> Legs.markReason(s, reason));
            Legs.close(parent, reason);
        }, drainMillis, TimeUnit.MILLISECONDS);
    }

    private void closed() {
        usable = false;
        CompletableFuture<Channel> next;
        while ((next = waiting.poll()) != null) {
            next.completeExceptionally(new IllegalStateException("the tunnel to site " + peerSite + " closed"));
        }
        context.listener().tunnelDown(peerSite, role.name().toLowerCase(),
                Legs.closeReason(parent, CloseReason.closed("connection closed")).toString());
        context.tunnels().remove(this);
    }
}
