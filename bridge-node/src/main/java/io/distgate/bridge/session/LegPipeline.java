package io.distgate.bridge.session;

import io.distgate.bridge.etf.EtfLimits;
import io.distgate.bridge.relay.LegLiveness;
import io.distgate.bridge.relay.PacketFramer;
import io.distgate.bridge.relay.RelayCounters;
import io.distgate.bridge.relay.RelayHandler;
import io.distgate.bridge.site.SiteSettings;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;

/**
 * The one place that decides the handler order of a leg (a channel to a node), in both phases
 * (STYLE habit 3).
 *
 * <pre>
 * handshake: frame (2-byte length) · prepend (2-byte length) · handshake (NearHalf / FarHalf)
 * relay:     liveness (ticks, D7) · packets (4-byte framing, control decoding) · relay (D8)
 * </pre>
 */
public final class LegPipeline {

    /**
     * Largest handshake body accepted. The biggest legal message, a send_name or challenge with a
     * 255-character name, is under 300 bytes; OTP ignores trailing bytes, so leave room, but not
     * the 64 KiB a 2-byte length allows an unauthenticated peer.
     */
    public static final int MAX_HANDSHAKE_BODY = 1024;

    private LegPipeline() {
    }

    public static void handshake(ChannelPipeline pipeline, HandshakeHalf half) {
        pipeline.addLast("frame", new LengthFieldBasedFrameDecoder(MAX_HANDSHAKE_BODY, 0, 2, 0, 2));
        pipeline.addLast("prepend", new LengthFieldPrepender(2));
        pipeline.addLast("handshake", half);
    }

    /**
     * Swaps the handshake handlers for the relay handlers, from inside the half's own callback.
     * The frame decoder goes last: bytes it still holds (a node may send data in the same
     * segment as its challenge_ack) flow on into the new handlers, where the relay keeps them
     * until it is joined.
     */
    static void toRelay(ChannelHandlerContext halfContext, SiteSettings site, RelayCounters counters) {
        ChannelPipeline pipeline = halfContext.pipeline();
        PacketFramer framer = new PacketFramer(counters, EtfLimits.DEFAULTS);
        pipeline.addAfter("frame", "liveness", new LegLiveness(site.tickInterval(), site.netTicktime(),
                framer::atOutboundBoundary));
        pipeline.addAfter("liveness", "packets", framer);
        pipeline.addLast("relay", new RelayHandler(counters::stall));
        pipeline.remove("prepend");
        pipeline.remove(halfContext.handler());
        pipeline.remove("frame");
    }
}
