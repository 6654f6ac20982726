package io.distgate.bridge.session;

import io.distgate.bridge.handshake.HandshakeCodec;
import io.distgate.bridge.handshake.HandshakeException;
import io.distgate.bridge.handshake.HandshakeMessage;
import io.distgate.bridge.handshake.HandshakeMessage.Status;
import io.distgate.bridge.relay.CloseReason;
import io.distgate.bridge.relay.Legs;
import io.distgate.bridge.relay.RelayFailure;
import io.distgate.bridge.site.SiteSettings;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the near and far halves share while their leg is in the handshake phase: the step
 * deadline (habit 4), writing handshake messages, and the one way out on failure (habit 5).
 * A half is the last handler of its leg's pipeline until both handshakes are done; then
 * {@link LegPipeline#toRelay} replaces it.
 */
abstract class HandshakeHalf extends ChannelInboundHandlerAdapter implements SetupReceiver {

    protected final SiteSettings site;
    protected final GatewayListener events;
    protected final long startNanos = System.nanoTime();
    protected ChannelHandlerContext ctx;
    protected SessionLink link;
    protected SessionInfo info;
    private ScheduledFuture<?> deadline;
    private boolean finished;

    HandshakeHalf(SiteSettings site, GatewayListener events) {
        this.site = site;
        this.events = events;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Parses one handshake message body and handles it. */
    protected abstract HandshakeMessage decode(ByteBuf body);

    protected abstract void handle(HandshakeMessage message);

    /** What the half waits for when the node closes or a deadline passes. */
    protected abstract String waitingFor();

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!finished) {
                handle(decode((ByteBuf) msg));
            }
        } catch (HandshakeException e) {
            fail(failureOf(e), e.getMessage(), e.statusToSend(), true);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The handshake phase always keeps a read pending, so a node closing is noticed at once. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!finished) {
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(SetupFailure.CLOSED, nodeDescription() + " closed the connection while the gateway waited for " + waitingFor(),
                null, true);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause.getCause() instanceof HandshakeException h ? h : cause;
        if (root instanceof HandshakeException h) {
            fail(failureOf(h), h.getMessage(), h.statusToSend(), true);
        } else if (root instanceof TooLongFrameException) {
            fail(SetupFailure.PROTOCOL, "handshake message longer than the " + LegPipeline.MAX_HANDSHAKE_BODY
                    + " bytes any handshake message needs (" + root.getMessage() + ")", null, true);
        } else {
            fail(SetupFailure.PROTOCOL, RelayFailure.describe(cause).detail(), null, true);
        }
    }

    protected abstract String nodeDescription();

    protected final void write(HandshakeMessage message) {
        ByteBuf buf = ctx.alloc().buffer(64);
        HandshakeCodec.encode(message, buf);
        ctx.writeAndFlush(buf).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    /** Starts (or restarts) the deadline for the next step. */
    protected final void arm(String step) {
        cancelDeadline();
        long millis = site.setupTimeout().toMillis();
        deadline = executor().schedule(() -> fail(SetupFailure.TIMEOUT,
                "no " + step + " within " + millis + " ms", null, true), millis, TimeUnit.MILLISECONDS);
    }

    protected final boolean isFinished() {
        return finished;
    }

    /** The handshake is done on this leg: no more deadline, no more failure path. */
    protected final void succeed() {
        finished = true;
        cancelDeadline();
        events.sessionUp(info, System.nanoTime() - startNanos);
    }

    /**
     * The one exit on failure: records the reason, tells the other half (unless it told us),
     * sends the node its last status if there is one, and closes the leg.
     */
    protected final void fail(SetupFailure failure, String detail, String lastStatus, boolean tellOtherHalf) {
        if (finished) {
            return;
        }
        finished = true;
        cancelDeadline();
        if (tellOtherHalf && link != null) {
            link.close(failure, detail);
        }
        if (info != null) {
            events.setupFailed(info, failure, detail, System.nanoTime() - startNanos);
        } else {
            events.connectionRefused(site.name(), listenerName(), failure.label(),
                    detail + (ctx != null ? " (from " + ctx.channel().remoteAddress() + ")" : ""));
        }
        if (ctx == null) {
            return;
        }
        Legs.markReason(ctx.channel(), new CloseReason(failure.label(), detail));
        if (lastStatus != null && ctx.channel().isActive()) {
            ByteBuf buf = ctx.alloc().buffer(16);
            HandshakeCodec.encode(new Status(lastStatus), buf);
            ctx.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    /** Where a failure before the session is known is counted: the proxy port or the far dial. */
    protected abstract String listenerName();

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    static SetupFailure failureOf(HandshakeException e) {
        return switch (e.reason()) {
            case HandshakeException.BAD_COOKIE -> SetupFailure.BAD_COOKIE;
            case HandshakeException.FLAGS -> SetupFailure.FLAGS;
            case HandshakeException.DYNAMIC_NAME, HandshakeException.REFUSED -> SetupFailure.NOT_ALLOWED;
            default -> SetupFailure.PROTOCOL;
        };
    }
}
