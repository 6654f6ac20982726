package io.distgate.bridge.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.Set;

/**
 * Finds the setup messages at the start of a tunnel stream. After a terminal message (the last
 * one this side receives before raw distribution bytes) it decodes nothing more: the bytes
 * that follow are passed on as they are, to the relay that replaces the setup handlers.
 */
final class SetupDecoder extends ByteToMessageDecoder {

    private final Set<Class<?>> terminal;
    private boolean raw;

    /** @param terminal message types after which the stream carries raw bytes (or ends) */
    SetupDecoder(Set<Class<?>> terminal) {
        this.terminal = terminal;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (raw) {
            out.add(in.readRetainedSlice(in.readableBytes()));
            return;
        }
        if (in.readableBytes() < 2) {
            return;
        }
        int length = in.getUnsignedShort(in.readerIndex());
        if (length > SetupCodec.MAX_BODY) {
            in.skipBytes(in.readableBytes());
            throw new StreamException("oversized", "tunnel stream message of " + length + " bytes; the limit is "
                    + SetupCodec.MAX_BODY);
        }
        if (in.readableBytes() < 2 + length) {
            return;
        }
        in.skipBytes(2);
        Object message = SetupCodec.decode(in.readSlice(length));
        raw = terminal.contains(message.getClass());
        out.add(message);
    }
}
