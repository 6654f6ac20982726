package io.distgate.bridge.session;

import io.distgate.bridge.relay.CloseReason;
import io.distgate.bridge.relay.Relay;
import io.distgate.bridge.relay.RelayFailure;
import io.distgate.bridge.session.SetupMessage.FarUp;
import io.distgate.bridge.session.SetupMessage.Refuse;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The near half's link to a far half behind a tunnel: one stream per session. Messages sent
 * before the stream is open wait for it; the far half's messages are handed to the near half on
 * its own event loop. From FarUp on, the stream carries raw distribution bytes.
 */
public final class StreamLink extends SetupStreamHandler implements SessionLink {

    private final SetupReceiver near;
    private final String peerSite;
    private final List<SetupMessage> waiting = new ArrayList<>(2);
    private Channel stream;
    private boolean ended;
    private boolean up;

    public StreamLink(SetupReceiver near, String peerSite) {
        this.near = near;
        this.peerSite = peerSite;
    }

    /** The stream opened ({@code error} null) or could not be opened. */
    public synchronized void attach(Channel opened, Throwable error) {
        if (error != null) {
            ended = true;
            deliver(new Refuse(SetupFailure.UNREACHABLE, "cannot open a stream to site " + peerSite + ": "
                    + (error.getMessage() != null ? error.getMessage() : error)));
            return;
        }
        if (ended) {
            opened.close();
            return;
        }
        StreamPipeline.setup(opened.pipeline(), StreamPipeline.NEAR_TERMINAL, this);
        stream = opened;
        waiting.forEach(opened::write);
        waiting.clear();
        opened.flush();
    }

    @Override
    public synchronized void send(SetupMessage message) {
        if (ended) {
            return;
        }
        if (stream == null) {
            waiting.add(message);
        } else {
            stream.writeAndFlush(message);
        }
    }

    @Override
    public void established(Channel leg, Consumer<CloseReason> onEnd) {
        Relay.join(leg, stream, onEnd);
    }

    @Override
    public synchronized void close(SetupFailure failure, String detail) {
        ended = true;
        if (stream != null) {
            stream.writeAndFlush(new Refuse(failure, detail)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof SetupMessage message)) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            deliver(new Refuse(SetupFailure.PROTOCOL, "site " + peerSite + " sent data before the session was up"));
            return;
        }
        if (message instanceof FarUp) {
            up = true;
            StreamPipeline.toRelay(ctx.pipeline());
        } else if (message instanceof Refuse) {
            ended = true;
            ctx.close();
        }
        deliver(message);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!up && !ended) {
            ended = true;
            deliver(new Refuse(SetupFailure.CLOSED, "the stream from site " + peerSite + " closed during setup"));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ended = true;
        ctx.close();
        deliver(new Refuse(SetupFailure.PROTOCOL, "stream from site " + peerSite + ": " + RelayFailure.describe(cause).detail()));
    }

    private void deliver(SetupMessage message) {
        near.executor().execute(() -> near.onSetup(message));
    }
}
