package io.distgate.bridge.epmd;

import io.distgate.bridge.epmd.EpmdException.Reason;
import io.distgate.bridge.netty.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One EPMD query on one connection: connect, send the request, collect the reply until epmd
 * closes, decode. Single use; also the connection's only handler, so everything it touches runs on
 * the connection's event loop.
 */
final class EpmdExchange<T> extends ChannelInboundHandlerAdapter {

    private final String context;
    private final InetSocketAddress epmd;
    private final EpmdRequest request;
    private final int maxReplyBytes;
    private final String capName;
    private final Function<ByteBuf, T> decoder;
    private final long timeoutNanos;
    private final String deadline;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private ByteBuf reply;

    EpmdExchange(String operation, InetSocketAddress epmd, EpmdRequest request, int maxReplyBytes, String capName,
            Function<ByteBuf, T> decoder, long timeoutNanos, String deadline) {
        this.context = "EPMD " + operation + " at " + epmd;
        this.epmd = epmd;
        this.request = request;
        this.maxReplyBytes = maxReplyBytes;
        this.capName = capName;
        this.decoder = decoder;
        this.timeoutNanos = timeoutNanos;
        this.deadline = deadline;
    }

    CompletableFuture<T> start(EventLoop loop, NettyTransport transport) {
        // One loop for the channel and the deadline task, so neither races the other's state.
        ScheduledFuture<?> timer = loop.schedule(this::deadlinePassed, timeoutNanos, TimeUnit.NANOSECONDS);
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                // Addresses arrive resolved (EpmdClient resolves off the loop); never resolve here.
                .disableResolver()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, Math.min(Integer.MAX_VALUE,
                        TimeUnit.NANOSECONDS.toMillis(timeoutNanos))))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(this);
        ChannelFuture connect = bootstrap.connect(epmd);
        Channel channel = connect.channel();
        // Whatever ends the exchange, the caller included (cancel), also ends the connection.
        result.whenComplete((value, error) -> {
            timer.cancel(false);
            channel.close();
        });
        connect.addListener(done -> {
            if (done.isSuccess()) {
                sendRequest(channel);
            } else {
                result.completeExceptionally(connectFailure(done.cause()));
            }
        });
        return result;
    }

    private void sendRequest(Channel channel) {
        ByteBuf out = channel.alloc().buffer();
        EpmdCodec.encodeRequest(request, out);
        channel.writeAndFlush(out).addListener(written -> {
            if (!written.isSuccess()) {
                result.completeExceptionally(new IOException(context + ": sending the request failed: "
                        + written.cause(), written.cause()));
            }
        });
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        reply = ctx.alloc().buffer(256, maxReplyBytes);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        reply.release();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            ByteBuf bytes = (ByteBuf) msg;
            if (result.isDone()) {
                return;
            }
            if (bytes.readableBytes() > maxReplyBytes - reply.readableBytes()) {
                result.completeExceptionally(new EpmdException(Reason.OVERSIZED, context + ": reply exceeds "
                        + maxReplyBytes + " bytes (" + capName + "); " + (reply.readableBytes() + bytes.readableBytes())
                        + " received so far"));
                return;
            }
            reply.writeBytes(bytes);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** epmd ends PORT2_RESP and NAMES_RESP by closing; only now is the reply complete. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (result.isDone()) {
            return;
        }
        try {
            result.complete(decoder.apply(reply));
        } catch (EpmdException e) {
            result.completeExceptionally(e.withContext(context));
        } catch (RuntimeException e) {
            // Not expected (the codec checks what the records check), but the future must end.
            result.completeExceptionally(e);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        result.completeExceptionally(new IOException(context + ": connection failed: " + cause, cause));
    }

    private void deadlinePassed() {
        result.completeExceptionally(new TimeoutException(context + ": no complete reply within the " + deadline));
    }

    private Throwable connectFailure(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return new TimeoutException(context + ": connect did not finish within the " + deadline);
        }
        if (cause instanceof ConnectException) {
            ConnectException refused = new ConnectException(context + ": cannot connect to " + epmd + " ("
                    + cause.getMessage() + "); is epmd listening there?");
            refused.initCause(cause);
            return refused;
        }
        return new IOException(context + ": cannot connect to " + epmd + ": " + cause, cause);
    }
}
