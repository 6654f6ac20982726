package io.distgate.bridge.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Liveness of one leg between the gateway and a node (D7): the gateway is the node's peer, so it
 * ticks and watches ticks itself, at the site's net_ticktime, independently of the other leg.
 *
 * <p>Like dist_util {@code send_tick/2}: every tick interval (net_ticktime / 4) a tick (an empty
 * 4-byte-framed packet) goes out if nothing was written since the last interval; the leg is
 * dead when nothing was read for a whole net_ticktime. Time during which the relay holds reads
 * back (the other side is slow: backpressure) does not count as silence, because nothing is
 * being read then for a reason that is not the node's.
 *
 * <p>Sits next to the socket, below the packet framer, so its ticks go out between whole
 * packets: {@code outboundAtBoundary} tells whether the last byte written ended a packet.
 */
public final class LegLiveness extends ChannelDuplexHandler {

    private final long tickIntervalNanos;
    private final long deadAfterNanos;
    private final BooleanSupplier outboundAtBoundary;
    private ScheduledFuture<?> timer;
    private long lastReadNanos;
    private long readRequestedNanos;
    private boolean readRequested;
    private boolean wroteThisInterval;

    public LegLiveness(Duration tickInterval, Duration deadAfter, BooleanSupplier outboundAtBoundary) {
        this.tickIntervalNanos = tickInterval.toNanos();
        this.deadAfterNanos = deadAfter.toNanos();
        this.outboundAtBoundary = outboundAtBoundary;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        lastReadNanos = now(ctx);
        timer = ctx.executor().scheduleAtFixedRate(() -> check(ctx), tickIntervalNanos, tickIntervalNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (!readRequested) {
            readRequested = true;
            readRequestedNanos = now(ctx);
        }
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadNanos = now(ctx);
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readRequested = false;
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        wroteThisInterval = true;
        ctx.write(msg, promise);
    }

    private void check(ChannelHandlerContext ctx) {
        long now = now(ctx);
        if (readRequested && now - Math.max(lastReadNanos, readRequestedNanos) >= deadAfterNanos) {
            Legs.close(ctx.channel(), new CloseReason(CloseReason.TICK_TIMEOUT, "nothing received for "
                    + TimeUnit.NANOSECONDS.toMillis(deadAfterNanos) + " ms"));
            return;
        }
        if (!wroteThisInterval && outboundAtBoundary.getAsBoolean()) {
            ByteBuf tick = ctx.alloc().buffer(4).writeInt(0);
            ctx.writeAndFlush(tick, ctx.voidPromise());
        }
        wroteThisInterval = false;
    }

    /**
     * The clock the timer runs on: the event loop's ticker, so that silence is measured on the same
     * clock as the interval between checks (and a test's virtual time moves both).
     */
    private static long now(ChannelHandlerContext ctx) {
        return ctx.executor().ticker().nanoTime();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
