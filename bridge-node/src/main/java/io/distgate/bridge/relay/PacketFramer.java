package io.distgate.bridge.relay;

import io.distgate.bridge.etf.ControlScanner;
import io.distgate.bridge.etf.EtfException;
import io.distgate.bridge.etf.EtfLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Finds the 4-byte-framed packets on a leg after the handshake, without holding them: bytes are
 * passed on as they arrive (cut-through), so memory does not grow with message size and a
 * 10 MB message is already on its way before its last byte arrives.
 *
 * <p>Inbound (node → gateway): at each packet start the control message is validated and
 * classified by {@link ControlScanner} (D9) and counted; ticks (empty packets) are the
 * gateway's own business on this leg (D7) and are dropped. Only a packet's head is ever copied,
 * when it arrives split across reads. Outbound (→ node): tracks packet boundaries, so
 * {@link LegLiveness} can put a tick between packets, and counts what is delivered.
 */
public final class PacketFramer extends ChannelDuplexHandler {

    private static final int LENGTH_FIELD = 4;
    /** First copy into a split head; later copies double what is held (see completeHead). */
    private static final int MIN_HEAD_STEP = 64;

    private final RelayCounters counters;
    private final ControlScanner scanner;
    private final int maxHead;

    /** Bytes of the current inbound packet still to pass through, after its head. */
    private long inRemaining;
    /** An inbound packet head split across reads: length field plus the control message so far. */
    private ByteBuf head;
    /**
     * A packet failed validation: the stream has no boundaries left to trust, so nothing more is
     * passed on, even if the channel is not closed before the next read.
     */
    private boolean failed;

    /** Bytes of the current outbound packet still to write. */
    private long outRemaining;
    /** Outbound length field bytes seen so far (a length can be split across writes). */
    private int outLengthBytes;
    private long outLength;
    /** The first body bytes of the current outbound packet, enough to read the operation. */
    private final byte[] outPeek = new byte[ControlScanner.PEEK_BYTES];
    private final ByteBuf outPeekBuf = Unpooled.wrappedBuffer(outPeek);
    private int outPeekLength;
    private boolean outCounted = true;

    public PacketFramer(RelayCounters counters, EtfLimits limits) {
        this.counters = counters;
        this.scanner = new ControlScanner(limits);
        // Length field, the 112 and 131 tags, the control term at its limit, and the payload's first byte.
        this.maxHead = LENGTH_FIELD + 2 + limits.maxControlBytes() + 1;
    }

    /** True when the last byte written to the node ended a packet: a tick may go next. */
    public boolean atOutboundBoundary() {
        return outRemaining == 0 && outLengthBytes == 0;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (failed) {
                return;
            }
            if (head != null && !completeHead(ctx, in)) {
                return;
            }
            splitPackets(ctx, in);
        } catch (RuntimeException e) {
            failed = true;
            releaseHead();
            throw e;
        } finally {
            in.release();
        }
    }

    /**
     * Walks the packets in {@code in}, passing contiguous runs on as one slice each; a tick
     * cuts a run (it is dropped), and a head that is not complete yet is kept for the next read.
     */
    private void splitPackets(ChannelHandlerContext ctx, ByteBuf in) {
        int start = in.readerIndex();
        int i = start;
        int end = in.writerIndex();
        while (i < end) {
            if (inRemaining > 0) {
                int n = (int) Math.min(inRemaining, end - i);
                i += n;
                inRemaining -= n;
                continue;
            }
            if (end - i < LENGTH_FIELD) {
                pass(ctx, in, start, i);
                keepHead(ctx, in, i, end);
                return;
            }
            long length = in.getUnsignedInt(i);
            if (length == 0) {
                pass(ctx, in, start, i);
                i += LENGTH_FIELD;
                start = i;
                continue;
            }
            int available = (int) Math.min(length, end - i - LENGTH_FIELD);
            int op;
            try {
                op = scanner.scan(in, i + LENGTH_FIELD, i + LENGTH_FIELD + available, length);
            } catch (RuntimeException e) {
                // The packets before this one are whole and counted: they go on, as they would
                // have had this packet started in a later read.
                pass(ctx, in, start, i);
                throw e;
            }
            if (op == ControlScanner.INCOMPLETE) {
                pass(ctx, in, start, i);
                keepHead(ctx, in, i, end);
                return;
            }
            counters.packet(Direction.OUT, op, LENGTH_FIELD + length);
            long total = LENGTH_FIELD + length;
            int here = (int) Math.min(total, end - i);
            i += here;
            inRemaining = total - here;
        }
        pass(ctx, in, start, i);
    }

    /** Adds bytes from {@code in} to a split head until it can be judged; false if more are needed. */
    private boolean completeHead(ChannelHandlerContext ctx, ByteBuf in) {
        if (head.readableBytes() < LENGTH_FIELD) {
            head.writeBytes(in, Math.min(LENGTH_FIELD - head.readableBytes(), in.readableBytes()));
            if (head.readableBytes() < LENGTH_FIELD) {
                return false;
            }
        }
        long length = head.getUnsignedInt(head.readerIndex());
        if (length == 0) {
            releaseHead();
            return true;
        }
        long wanted = Math.min(LENGTH_FIELD + length, maxHead);
        int op = ControlScanner.INCOMPLETE;
        while (op == ControlScanner.INCOMPLETE) {
            // Copy in steps that double what is held, so a split head costs about its own size in
            // copying and memory, not up to maxHead of payload; the rescans add up to linear time.
            int step = (int) Math.min(Math.min(wanted - head.readableBytes(), in.readableBytes()),
                    Math.max(MIN_HEAD_STEP, head.readableBytes()));
            if (step == 0) {
                return false;
            }
            head.writeBytes(in, step);
            op = scanner.scan(head, head.readerIndex() + LENGTH_FIELD, head.writerIndex(), length);
        }
        // Every byte held before the last step belonged to the unfinished control term, so what
        // the last step copied past the control message is given back to go on as a slice.
        int excess = head.writerIndex() - scanner.controlEnd();
        if (excess > 0) {
            head.writerIndex(scanner.controlEnd());
            in.readerIndex(in.readerIndex() - excess);
        }
        counters.packet(Direction.OUT, op, LENGTH_FIELD + length);
        inRemaining = LENGTH_FIELD + length - head.readableBytes();
        ByteBuf done = head;
        head = null;
        ctx.fireChannelRead(done);
        return true;
    }

    private void keepHead(ChannelHandlerContext ctx, ByteBuf in, int from, int end) {
        head = ctx.alloc().buffer(Math.min(maxHead, Math.max(64, (end - from) * 2)), maxHead);
        head.writeBytes(in, from, end - from);
    }

    private static void pass(ChannelHandlerContext ctx, ByteBuf in, int from, int to) {
        if (to > from) {
            ctx.fireChannelRead(in.retainedSlice(from, to - from));
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            track(buf);
        }
        ctx.write(msg, promise);
    }

    /** Follows packet boundaries through what is written, counting each packet once by operation. */
    private void track(ByteBuf buf) {
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        while (i < end) {
            if (outRemaining == 0) {
                while (outLengthBytes < LENGTH_FIELD && i < end) {
                    outLength = (outLength << 8) | buf.getUnsignedByte(i++);
                    outLengthBytes++;
                }
                if (outLengthBytes < LENGTH_FIELD) {
                    return;
                }
                outRemaining = outLength;
                outLengthBytes = 0;
                outPeekLength = 0;
                outCounted = outLength == 0;
                outLength = 0;
                continue;
            }
            int n = (int) Math.min(outRemaining, end - i);
            if (!outCounted) {
                peekOutbound(buf, i, n);
            }
            i += n;
            outRemaining -= n;
        }
    }

    private void peekOutbound(ByteBuf buf, int from, int n) {
        long packetLength = outRemaining + outPeekLength;
        int take = Math.min(n, outPeek.length - outPeekLength);
        buf.getBytes(from, outPeek, outPeekLength, take);
        outPeekLength += take;
        if (outPeekLength == outPeek.length || outPeekLength == packetLength) {
            counters.packet(Direction.IN, outboundOp(), LENGTH_FIELD + packetLength);
            outCounted = true;
        }
    }

    /**
     * The op of the outbound packet peeked so far, 0 when it cannot be read. Counting must never
     * fail a write: the message would be neither written nor released, and the node would get a
     * stream with a hole in it.
     */
    private int outboundOp() {
        try {
            int op = ControlScanner.peekOp(outPeekBuf, 0, outPeekLength);
            return op == ControlScanner.INCOMPLETE ? 0 : op;
        } catch (EtfException e) {
            return 0;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseHead();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHead();
        ctx.fireChannelInactive();
    }

    private void releaseHead() {
        if (head != null) {
            head.release();
            head = null;
        }
    }
}
