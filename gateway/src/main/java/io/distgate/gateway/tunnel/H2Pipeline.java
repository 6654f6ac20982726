package io.distgate.gateway.tunnel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;

/**
 * The handler order of a tunnel connection after TLS and ALPN (STYLE habit 3):
 *
 * <pre>
 * ssl · h2 (Http2FrameCodec) · tunnel (PING liveness, GOAWAY) · streams (Http2MultiplexHandler)
 * </pre>
 */
final class H2Pipeline {

    /** Plenty for one stream per node pair; each costs a few hundred bytes when idle. */
    static final int MAX_CONCURRENT_STREAMS = 100_000;
    /** Larger DATA frames than the 16 KiB default: fewer headers per megabyte on bulk transfers. */
    static final int MAX_FRAME_SIZE = 64 * 1024;
    /**
     * Unsent bytes the kernel may hold for a tunnel connection (TCP_NOTSENT_LOWAT). Above it, bulk
     * data waits in HTTP/2's per-stream queues, where another node pair's small message can pass
     * it, rather than in the socket's one queue. Bytes in flight are not limited, so a WAN's
     * bandwidth-delay product still fills. Measured: docs/benchmarks.md.
     */
    static final int UNSENT_BYTES = 128 * 1024;
    /** HTTP/2's initial connection window, before WINDOW_UPDATE raises it (RFC 9113, 6.9.2). */
    static final int INITIAL_CONNECTION_WINDOW = 65_535;

    private H2Pipeline() {
    }

    static H2Tunnel install(Channel channel, H2Tunnel.Role role, String peerSite, TunnelContext context) {
        H2Tunnel tunnel = new H2Tunnel(channel, role, peerSite, context);
        Http2Settings settings = Http2Settings.defaultSettings()
                .initialWindowSize((int) context.config().streamWindow().bytes())
                .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                .maxFrameSize(MAX_FRAME_SIZE);
        Http2FrameCodec codec = (role == H2Tunnel.Role.DIALLED ? Http2FrameCodecBuilder.forClient()
                : Http2FrameCodecBuilder.forServer()).initialSettings(settings).build();
        ChannelPipeline p = channel.pipeline();
        p.addLast("h2", codec);
        p.addLast("tunnel", new TunnelHandler(tunnel, context.config().pingInterval().toNanos(),
                context.config().deadAfter().toNanos()));
        p.addLast("streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                if (role == H2Tunnel.Role.ACCEPTED) {
                    tunnel.acceptStream(ch);
                } else {
                    // An HTTP/2 server cannot start streams; a server push is not part of the protocol.
                    ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            ctx.close();
                        }
                    });
                }
            }
        }));
        int raise = (int) context.config().connectionWindow().bytes() - INITIAL_CONNECTION_WINDOW;
        if (raise > 0) {
            channel.writeAndFlush(new DefaultHttp2WindowUpdateFrame(raise));
        }
        tunnel.started();
        context.tunnels().add(tunnel);
        return tunnel;
    }
}
