package io.distgate.gateway.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Turns an HTTP/2 stream into a channel of bytes, the only thing the bridge needs of a stream:
 * DATA frames in, DATA frames out. The request or response headers go first, once; a peer that
 * ends its side of the stream ends the stream.
 *
 * <p>Requests are {@code POST /distgate/v1/stream} (the client opens a session or lookup) or
 * {@code POST /distgate/v1/reverse} (the client offers the server a stream to open sessions of
 * its own on; HTTP/2 servers cannot start streams). docs/tunnel-protocol.md.
 */
final class H2StreamAdapter extends ChannelDuplexHandler {

    static final String STREAM_PATH = "/distgate/v1/stream";
    static final String REVERSE_PATH = "/distgate/v1/reverse";
    static final String CONTENT_TYPE = "application/x-distgate";

    private final Http2Headers firstHeaders;
    private boolean headersSent;

    private H2StreamAdapter(Http2Headers firstHeaders) {
        this.firstHeaders = firstHeaders;
    }

    /** The client side of a stream: sends the request headers at once, so the server sees the stream. */
    static H2StreamAdapter request(String path, String authority) {
        return new H2StreamAdapter(new DefaultHttp2Headers().method("POST").path(path).scheme("https")
                .authority(authority).set("content-type", CONTENT_TYPE));
    }

    /** The server side: the response headers go with the first bytes sent. */
    static H2StreamAdapter response() {
        return new H2StreamAdapter(new DefaultHttp2Headers().status("200").set("content-type", CONTENT_TYPE));
    }

    boolean isRequest() {
        return firstHeaders.method() != null;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (isRequest()) {
            sendHeaders(ctx);
            ctx.flush();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (isRequest() && ctx.channel().isActive()) {
            sendHeaders(ctx);
            ctx.flush();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2DataFrame data) {
            boolean end = data.isEndStream();
            ByteBuf content = data.content();
            if (content.isReadable()) {
                ctx.fireChannelRead(content.retain());
            }
            data.release();
            if (end) {
                ctx.close();
            }
        } else if (msg instanceof Http2HeadersFrame headers) {
            ctx.fireUserEventTriggered(headers.headers());
            if (headers.isEndStream()) {
                ctx.close();
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf bytes) {
            sendHeaders(ctx);
            ctx.write(new DefaultHttp2DataFrame(bytes), promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    private void sendHeaders(ChannelHandlerContext ctx) {
        if (!headersSent) {
            headersSent = true;
            ctx.write(new DefaultHttp2HeadersFrame(firstHeaders));
        }
    }
}
