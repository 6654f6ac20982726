package io.distgate.bridge.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes setup and lookup messages onto a tunnel stream; raw bytes pass through untouched. */
@Sharable
final class SetupEncoder extends MessageToByteEncoder<Object> {

    static final SetupEncoder INSTANCE = new SetupEncoder();

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof SetupMessage || msg instanceof Lookup.Request || msg instanceof Lookup.Answer;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
        SetupCodec.encode(msg, out);
    }
}
