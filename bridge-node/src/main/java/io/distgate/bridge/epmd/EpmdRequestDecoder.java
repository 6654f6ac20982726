package io.distgate.bridge.epmd;

import io.distgate.bridge.epmd.EpmdException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Frames the one request an EPMD connection carries: a 2-byte length, then that many bytes
 * (Distribution Protocol, "EPMD Protocol"). It finds the boundary and enforces the length cap;
 * {@link EpmdCodec#decodeRequest} parses the body into an {@link EpmdRequest}, which is passed on.
 *
 * <p>On bad input it does what Netty's {@code HAProxyMessageDecoder} does: discard what is
 * buffered, close the channel, and throw an {@link EpmdException}. {@code ByteToMessageDecoder}
 * delivers that wrapped in a {@code DecoderException}; the next handler gets the reason with
 * {@link EpmdException#find} and logs it. The decoder then ignores everything, so nothing more is
 * read into memory even before the close completes.
 *
 * <p>epmd serves one request per connection and closes the connection when more bytes arrive
 * after it ({@code epmd_srv.c} {@code do_read}); so does this decoder. The deadline for the request
 * to arrive belongs in the pipeline initializer (STYLE habit 4), not here.
 */
public final class EpmdRequestDecoder extends ByteToMessageDecoder {

    private static final int LENGTH_FIELD_BYTES = 2;

    /** Shortest body: the request code alone. epmd rejects a declared length below 1. */
    public static final int MIN_REQUEST_LENGTH = 1;

    /**
     * Longest body epmd accepts: it reads the length and the body into a buffer of INBUF_SIZE =
     * 3 × 1020 = 3060 bytes and rejects a total (length field included) of 3060 or more
     * ({@code epmd_int.h}, {@code epmd_srv.c} {@code do_read}). 3060 − 1 − 2 = 3057. The largest real
     * request, ALIVE2_REQ with a 1020-byte name and 1020-byte Extra, is 2053.
     */
    public static final int MAX_REQUEST_LENGTH = 3 * 1020 - 1 - LENGTH_FIELD_BYTES;

    private enum State { AWAITING_REQUEST, DECODED, FAILED }

    private State state = State.AWAITING_REQUEST;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case AWAITING_REQUEST -> decodeRequest(ctx, in, out);
            case DECODED -> throw failed(ctx, in, new EpmdException(Reason.TRAILING_BYTES, "EPMD request is followed by "
                    + in.readableBytes() + " more bytes; one request per connection"));
            case FAILED -> in.skipBytes(in.readableBytes());
        }
    }

    private void decodeRequest(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < LENGTH_FIELD_BYTES) {
            return;
        }
        // Checked as soon as the length is known, before waiting for (and buffering) the body.
        int length = in.getUnsignedShort(in.readerIndex());
        if (length < MIN_REQUEST_LENGTH) {
            throw failed(ctx, in, new EpmdException(Reason.MALFORMED, "EPMD request length is " + length
                    + ", minimum " + MIN_REQUEST_LENGTH + " (MIN_REQUEST_LENGTH)"));
        }
        if (length > MAX_REQUEST_LENGTH) {
            throw failed(ctx, in, new EpmdException(Reason.OVERSIZED, "EPMD request length is " + length
                    + ", limit " + MAX_REQUEST_LENGTH + " (MAX_REQUEST_LENGTH)"));
        }
        int frame = LENGTH_FIELD_BYTES + length;
        if (in.readableBytes() < frame) {
            return;
        }
        if (in.readableBytes() > frame) {
            throw failed(ctx, in, new EpmdException(Reason.TRAILING_BYTES, "EPMD request of length " + length
                    + " is followed by " + (in.readableBytes() - frame) + " more bytes; one request per connection"));
        }
        in.skipBytes(LENGTH_FIELD_BYTES);
        EpmdRequest request;
        try {
            request = EpmdCodec.decodeRequest(in.readSlice(length));
        } catch (EpmdException e) {
            throw failed(ctx, in, e);
        }
        state = State.DECODED;
        out.add(request);
    }

    /** A close in the middle of the length field or the body is a truncated request. */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.isReadable()) {
            decode(ctx, in, out);
        }
        if (state == State.AWAITING_REQUEST && in.isReadable()) {
            int got = in.readableBytes();
            String detail = got < LENGTH_FIELD_BYTES
                    ? got + " of " + LENGTH_FIELD_BYTES + " length bytes"
                    : (got - LENGTH_FIELD_BYTES) + " of " + in.getUnsignedShort(in.readerIndex()) + " body bytes";
            throw failed(ctx, in, new EpmdException(Reason.TRUNCATED, "EPMD request truncated: connection closed after " + detail));
        }
    }

    /** Discards, stops and closes; the caller throws the returned exception. */
    private EpmdException failed(ChannelHandlerContext ctx, ByteBuf in, EpmdException error) {
        state = State.FAILED;
        in.skipBytes(in.readableBytes());
        ctx.close();
        return error;
    }
}
