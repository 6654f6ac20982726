package io.distgate.bridge.session;

import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.relay.CloseReason;
import io.distgate.bridge.relay.Relay;
import io.distgate.bridge.relay.RelayFailure;
import io.distgate.bridge.session.FarSite.Availability;
import io.distgate.bridge.session.SetupMessage.Open;
import io.distgate.bridge.session.SetupMessage.Refuse;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Serves a stream a peer gateway opened: a session (OPEN, then the far half dials the node here)
 * or a lookup (LOOKUP, answered, then the stream ends). The peer site is the one its
 * certificate or key proved; it may only ask on behalf of its own nodes.
 */
public final class StreamAcceptor extends SetupStreamHandler implements SessionLink {

    /** The sites this gateway serves, as a peer's streams need them. */
    public interface LocalSites {
        /** The far-half context of the local site that has {@code node}, or null when none has it. */
        FarHalf.Context contextFor(NodeName node);

        /** Whether {@code node} is registered at the local site that has it. */
        CompletableFuture<Availability> lookup(NodeName node);
    }

    private final LocalSites sites;
    private final String peerSite;
    private final Predicate<NodeName> isPeerNode;
    private ChannelHandlerContext ctx;
    private FarHalf far;
    private boolean up;

    private StreamAcceptor(LocalSites sites, String peerSite, Predicate<NodeName> isPeerNode) {
        this.sites = sites;
        this.peerSite = peerSite;
        this.isPeerNode = isPeerNode;
    }

    /** Adds the setup handlers to a stream the peer opened (after the transport's adapter). */
    public static void install(Channel stream, LocalSites sites, String peerSite, Predicate<NodeName> isPeerNode) {
        StreamPipeline.setup(stream.pipeline(), StreamPipeline.FAR_TERMINAL, new StreamAcceptor(sites, peerSite, isPeerNode));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (far != null && msg instanceof SetupMessage m) {
            far.onSetup(m);
        } else if (far == null && msg instanceof Open open) {
            startSession(open);
        } else if (far == null && msg instanceof Lookup.Request request) {
            answer(request.node());
        } else {
            ReferenceCountUtil.release(msg);
            close(SetupFailure.PROTOCOL, "unexpected " + msg.getClass().getSimpleName() + " on a stream from site " + peerSite);
        }
    }

    private void startSession(Open open) {
        FarHalf.Context context = sites.contextFor(open.to());
        if (context == null) {
            close(SetupFailure.NOT_ALLOWED, "no site of this gateway has node " + open.to());
            return;
        }
        far = new FarHalf(context, open, peerSite, isPeerNode, (EventLoop) ctx.channel().eventLoop());
        far.start(this);
    }

    private void answer(NodeName node) {
        sites.lookup(node).whenComplete((availability, error) -> ctx.writeAndFlush(
                new Lookup.Answer(error != null ? Availability.UNREACHABLE : availability))
                .addListener(ChannelFutureListener.CLOSE));
    }

    @Override
    public void send(SetupMessage message) {
        ctx.writeAndFlush(message);
    }

    @Override
    public void established(Channel leg, Consumer<CloseReason> onEnd) {
        up = true;
        Channel stream = ctx.channel();
        StreamPipeline.toRelay(ctx.pipeline());
        Relay.join(leg, stream, onEnd);
    }

    @Override
    public void close(SetupFailure failure, String detail) {
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(new Refuse(failure, detail)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (far != null && !up) {
            far.onSetup(new Refuse(SetupFailure.CLOSED, "the stream from site " + peerSite + " closed during setup"));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String detail = "stream from site " + peerSite + ": " + RelayFailure.describe(cause).detail();
        if (far != null && !up) {
            far.onSetup(new Refuse(SetupFailure.PROTOCOL, detail));
        }
        ctx.close();
    }
}
