package io.distgate.it.harness;

import io.distgate.it.harness.WanRelay.Direction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One direction of one relayed connection: the handler on the source channel, which queues what
 * it reads and writes it to the destination as the {@link WanConditions} allow.
 *
 * <p>Each chunk is stamped on arrival with the time it is due (arrival plus the one-way delay)
 * and leaves at that time, so any number of chunks are in flight at once and the delay costs
 * latency, not bandwidth. The source's close is queued the same way, behind the bytes sent
 * before it, so the destination is closed only after those bytes are delivered.
 *
 * <p>Both channels of a connection are on one event loop, so the queue needs no lock.
 */
final class WanLink extends ChannelInboundHandlerAdapter {

    /** Read bytes, or the source's close when {@code bytes} is null. */
    private record Pending(ByteBuf bytes, long dueNanos) {
    }

    private final RelayedConnection connection;
    private final WanConditions wan;
    private final Direction direction;
    private final EventLoop loop;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private Channel destination;
    private long lastDueNanos = System.nanoTime();
    private ScheduledFuture<?> wakeup;
    private long wakeupNanos;

    WanLink(RelayedConnection connection, WanConditions wan, Direction direction, EventLoop loop) {
        this.connection = connection;
        this.wan = wan;
        this.direction = direction;
        this.loop = loop;
    }

    /** Called on the loop before the source's first read; without it everything is dropped. */
    void deliverTo(Channel channel) {
        destination = channel;
        // Whatever is still queued can no longer be delivered: release it.
        channel.closeFuture().addListener(closed -> pump());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        arrive((ByteBuf) msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        arrive(null);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Typically a reset by the endpoint; the close is then passed on like any other.
        ctx.close();
    }

    private void arrive(ByteBuf bytes) {
        // Never earlier than the chunk before: a delay shortened mid-stream must not reorder.
        long due = WanConditions.later(System.nanoTime() + wan.delayNanos(), lastDueNanos);
        lastDueNanos = due;
        queue.add(new Pending(bytes, due));
        pump();
    }

    /** Sends everything that may leave now, and arranges to be called again for the rest. */
    void pump() {
        if (connection.silenced() || destination == null || !destination.isOpen()) {
            discardQueue();
            return;
        }
        if (!destination.isActive()) {
            return; // still connecting to the target; the connect listener pumps
        }
        long now = System.nanoTime();
        boolean wrote = false;
        Pending head;
        while ((head = queue.peek()) != null) {
            long departs = WanConditions.later(head.dueNanos(), wan.stallEndsNanos());
            if (departs - now > 0) {
                wakeAt(departs, now);
                break;
            }
            if (head.bytes() == null) {
                queue.poll();
                // The empty write completes after every earlier write has reached the socket.
                destination.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            int size = head.bytes().readableBytes();
            long tokenWait = wan.reserve(direction, size);
            if (tokenWait > 0) {
                wakeAt(now + tokenWait, now);
                break;
            }
            queue.poll();
            wan.forwarded(direction, size);
            destination.write(head.bytes());
            wrote = true;
        }
        if (wrote) {
            destination.flush();
        }
    }

    /** One wakeup per link is enough: the earliest, since each pump looks again at the head. */
    private void wakeAt(long nanos, long now) {
        if (wakeup != null) {
            if (nanos - wakeupNanos >= 0) {
                return;
            }
            wakeup.cancel(false);
        }
        wakeupNanos = nanos;
        wakeup = loop.schedule(() -> {
            wakeup = null;
            pump();
        }, nanos - now, TimeUnit.NANOSECONDS);
    }

    private void discardQueue() {
        Pending pending;
        while ((pending = queue.poll()) != null) {
            if (pending.bytes() != null) {
                pending.bytes().release();
            }
        }
    }
}
