package io.distgate.bridge.session;

import io.distgate.bridge.relay.RelayHandler;
import io.distgate.bridge.session.SetupMessage.FarUp;
import io.distgate.bridge.session.SetupMessage.NearAuthenticated;
import io.distgate.bridge.session.SetupMessage.Refuse;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import java.util.Set;

/**
 * The handler order of a tunnel stream (STYLE habit 3). The transport puts its own adapter first
 * (HTTP/2 frames or SSH channel data to and from bytes); then:
 *
 * <pre>
 * setup: setup-decoder · setup-encoder · stream (StreamLink, StreamAcceptor or a lookup client)
 * relay: relay
 * </pre>
 */
public final class StreamPipeline {

    /** The last message the near side receives before raw bytes. */
    static final Set<Class<?>> NEAR_TERMINAL = Set.of(FarUp.class, Refuse.class);
    /** The last message the far side receives before raw bytes (or the end of a lookup stream). */
    static final Set<Class<?>> FAR_TERMINAL = Set.of(NearAuthenticated.class, Refuse.class, Lookup.Request.class);
    /** A lookup answer ends its stream. */
    static final Set<Class<?>> LOOKUP_TERMINAL = Set.of(Lookup.Answer.class, Refuse.class);

    private StreamPipeline() {
    }

    /**
     * Installs the setup handlers. The stream stops reading by itself (AUTO_READ off): the
     * setup handler asks for each read, and after setup the relay reads only when the other
     * side can take more; for HTTP/2 that is what keeps the stream's window closed (D8).
     */
    static void setup(ChannelPipeline pipeline, Set<Class<?>> terminal, ChannelHandler handler) {
        pipeline.channel().config().setAutoRead(false);
        pipeline.addLast("setup-decoder", new SetupDecoder(terminal));
        pipeline.addLast("setup-encoder", SetupEncoder.INSTANCE);
        pipeline.addLast("stream", handler);
    }

    /** Swaps the setup handlers for the relay; bytes the decoder still holds flow on into it. */
    static void toRelay(ChannelPipeline pipeline) {
        pipeline.addLast("relay", new RelayHandler());
        pipeline.remove("stream");
        pipeline.remove("setup-encoder");
        pipeline.remove("setup-decoder");
    }
}
