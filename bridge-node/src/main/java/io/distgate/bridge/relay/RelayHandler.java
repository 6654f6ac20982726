package io.distgate.bridge.relay;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.function.BiConsumer;

/**
 * The last handler of each side of a relay: writes what its channel reads to the other channel,
 * and reads again only when the other channel can take more (D8, the Netty HexDumpProxy
 * pattern with AUTO_READ off). Memory per direction is bounded by one read batch plus the
 * other channel's write-buffer high-water mark.
 *
 * <p>Before {@link Relay#join} the handler holds what arrives (bytes a node sent in the same
 * segment as its challenge_ack), and reads nothing more.
 */
public final class RelayHandler extends ChannelInboundHandlerAdapter {

    private final ArrayDeque<Object> held = new ArrayDeque<>(2);
    /** Made once: the other side runs it each time this side's peer becomes writable. */
    private final Runnable peerWritableTask = this::peerWritable;
    private final Runnable onStall;
    private ChannelHandlerContext ctx;
    private Channel peer;
    private BiConsumer<Channel, CloseReason> onEnd;
    private boolean waitingForPeer;

    /** A relay end that reports nothing when it has to wait for the other side. */
    public RelayHandler() {
        this(() -> { });
    }

    /** @param onStall runs each time this side stops reading until the other side can take more */
    public RelayHandler(Runnable onStall) {
        this.onStall = onStall;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Starts relaying to {@code peer}; runs on this channel's event loop. */
    void start(Channel peer, BiConsumer<Channel, CloseReason> onEnd) {
        this.peer = peer;
        this.onEnd = onEnd;
        Object msg;
        while ((msg = held.poll()) != null) {
            peer.write(msg, peer.voidPromise());
        }
        peer.flush();
        if (!ctx.channel().isActive()) {
            end(Legs.closeReason(ctx.channel(), CloseReason.closed("closed before the relay started")));
            return;
        }
        readWhenPeerWritable();
    }

    /** The other side's channel became writable: read what was held back. */
    void peerWritable() {
        if (waitingForPeer && peer.isWritable()) {
            waitingForPeer = false;
            ctx.read();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (peer == null) {
            held.add(msg);
        } else if (peer.isActive()) {
            peer.write(msg, peer.voidPromise());
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (peer != null) {
            peer.flush();
            readWhenPeerWritable();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (peer != null && ctx.channel().isWritable()) {
            RelayHandler other = peer.pipeline().get(RelayHandler.class);
            if (other != null) {
                peer.eventLoop().execute(other.peerWritableTask);
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHeld();
        if (peer != null) {
            end(Legs.closeReason(ctx.channel(), CloseReason.closed("connection closed by " + ctx.channel().remoteAddress())));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Legs.close(ctx.channel(), RelayFailure.describe(cause));
    }

    private void readWhenPeerWritable() {
        if (peer.isWritable()) {
            ctx.read();
        } else {
            if (!waitingForPeer) {
                onStall.run();
            }
            waitingForPeer = true;
        }
    }

    private void end(CloseReason reason) {
        BiConsumer<Channel, CloseReason> callback = onEnd;
        onEnd = null;
        Legs.markReason(peer, reason);
        // Flush what is already queued, so a last message (an EXIT, a reply) is not lost.
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        if (callback != null) {
            callback.accept(ctx.channel(), reason);
        }
    }

    private void releaseHeld() {
        Object msg;
        while ((msg = held.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }
}
