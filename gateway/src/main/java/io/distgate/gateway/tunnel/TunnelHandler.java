package io.distgate.gateway.tunnel;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * WAN liveness of one tunnel (D7): an HTTP/2 PING every ping interval, each answer an RTT
 * sample; the tunnel is dead when nothing at all has arrived for {@code deadAfter}. Sits between
 * the frame codec and the stream multiplexer, so every frame counts as a sign of life and the
 * connection-level frames (PING answers, GOAWAY) end here.
 */
final class TunnelHandler extends ChannelDuplexHandler {

    private final H2Tunnel tunnel;
    private final long pingNanos;
    private final long deadAfterNanos;
    /** Death is checked this often, so it is noticed within this much of dead_after whatever the ping interval. */
    static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private ScheduledFuture<?> timer;
    private long lastHeard;
    private long lastSent;

    TunnelHandler(H2Tunnel tunnel, long pingNanos, long deadAfterNanos) {
        this.tunnel = tunnel;
        this.pingNanos = pingNanos;
        this.deadAfterNanos = deadAfterNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        lastHeard = ctx.executor().ticker().nanoTime();
        lastSent = lastHeard;
        long check = Math.min(pingNanos, CHECK_NANOS);
        timer = ctx.executor().scheduleAtFixedRate(() -> tick(ctx), check, check, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        timer.cancel(false);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        timer.cancel(false);
        ctx.fireChannelInactive();
    }

    private void tick(ChannelHandlerContext ctx) {
        long now = ctx.executor().ticker().nanoTime();
        if (now - lastHeard >= deadAfterNanos) {
            tunnel.die("no answer from site " + tunnel.peerSite() + " for " + TimeUnit.NANOSECONDS.toMillis(now - lastHeard) + " ms");
            return;
        }
        if (now - lastSent >= pingNanos) {
            lastSent = now;
            ctx.writeAndFlush(new DefaultHttp2PingFrame(now));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastHeard = ctx.executor().ticker().nanoTime();
        if (msg instanceof Http2PingFrame ping) {
            if (ping.ack()) {
                tunnel.roundTrip(lastHeard - ping.content());
            }
            return;
        }
        if (msg instanceof Http2GoAwayFrame goAway) {
            // The multiplexer needs the frame too: it fails the streams the peer will not serve.
            tunnel.goingAway("site " + tunnel.peerSite() + " sent GOAWAY (error code " + goAway.errorCode() + ")");
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        tunnel.die("tunnel error: " + cause.getMessage());
    }
}
