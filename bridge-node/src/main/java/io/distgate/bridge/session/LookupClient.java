package io.distgate.bridge.session;

import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.session.FarSite.Availability;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Asks a peer gateway, on a stream of its own, whether one of its nodes is registered. */
public final class LookupClient extends SetupStreamHandler {

    private final CompletableFuture<Availability> answer = new CompletableFuture<>();

    private LookupClient() {
    }

    /**
     * Sends LOOKUP on {@code stream} and completes with the answer; UNREACHABLE when the stream
     * closes first or no answer comes within {@code timeout}. Closes the stream either way.
     */
    public static CompletableFuture<Availability> ask(Channel stream, NodeName node, Duration timeout) {
        LookupClient client = new LookupClient();
        StreamPipeline.setup(stream.pipeline(), StreamPipeline.LOOKUP_TERMINAL, client);
        var deadline = stream.eventLoop().schedule(() -> client.answer.complete(Availability.UNREACHABLE),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        stream.writeAndFlush(new Lookup.Request(node));
        return client.answer.whenComplete((a, e) -> {
            deadline.cancel(false);
            stream.close();
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Lookup.Answer a) {
            answer.complete(a.availability());
        } else {
            ReferenceCountUtil.release(msg);
            answer.complete(Availability.UNREACHABLE);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        answer.complete(Availability.UNREACHABLE);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        answer.complete(Availability.UNREACHABLE);
        ctx.close();
    }
}
