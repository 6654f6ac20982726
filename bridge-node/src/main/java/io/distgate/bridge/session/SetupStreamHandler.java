package io.distgate.bridge.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Base of the handlers that own a tunnel stream while its setup messages flow. Streams run with
 * auto-read off; during setup the handler keeps one read pending, and the relay takes over
 * reading once the session is joined (see {@link StreamPipeline#toRelay}).
 */
abstract class SetupStreamHandler extends ChannelInboundHandlerAdapter {

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.read();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelReadComplete();
    }
}
