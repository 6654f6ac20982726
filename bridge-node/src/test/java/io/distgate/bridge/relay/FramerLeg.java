package io.distgate.bridge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.distgate.bridge.etf.EtfLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link PacketFramer} alone on an {@link EmbeddedChannel}, remembering every buffer it was fed
 * and every buffer it allocated, so a test can check that all of them were released.
 */
final class FramerLeg {

    final RecordingCounters counters = new RecordingCounters();
    final TrackingAllocator alloc = new TrackingAllocator();
    final PacketFramer framer;
    final EmbeddedChannel channel = new EmbeddedChannel();
    /** What was fed inbound or written outbound, in order. */
    final List<ByteBuf> fed = new ArrayList<>();
    /** What the framer threw, in order, with the index of the read that threw it. */
    final List<Throwable> errors = new ArrayList<>();
    int firstErrorAt = -1;

    FramerLeg(EtfLimits limits) {
        framer = new PacketFramer(counters, limits);
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(framer);
    }

    FramerLeg() {
        this(EtfLimits.DEFAULTS);
    }

    /**
     * Feeds each piece as one read. A piece that makes the framer throw (the exception reaches
     * the end of the pipeline, where EmbeddedChannel keeps it) is recorded, and feeding goes on.
     */
    FramerLeg read(List<ByteBuf> pieces) {
        for (ByteBuf piece : pieces) {
            fed.add(piece);
            try {
                channel.writeInbound(piece);
            } catch (RuntimeException e) {
                if (errors.isEmpty()) {
                    firstErrorAt = fed.size() - 1;
                }
                errors.add(e);
            }
        }
        return this;
    }

    /** Everything passed on so far, in order; the caller releases it with {@link #release}. */
    List<ByteBuf> passed() {
        List<ByteBuf> out = new ArrayList<>();
        ByteBuf buf;
        while ((buf = channel.readInbound()) != null) {
            out.add(buf);
        }
        return out;
    }

    /** Everything written through so far, in order; the caller releases it with {@link #release}. */
    List<ByteBuf> written() {
        List<ByteBuf> out = new ArrayList<>();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            out.add(buf);
        }
        return out;
    }

    /** The bytes passed on, released as they are read. */
    byte[] passedBytes() {
        List<ByteBuf> out = passed();
        byte[] bytes = bytes(out);
        release(out);
        return bytes;
    }

    static byte[] bytes(List<ByteBuf> bufs) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ByteBuf buf : bufs) {
            all.writeBytes(ByteBufUtil.getBytes(buf));
        }
        return all.toByteArray();
    }

    static void release(List<ByteBuf> bufs) {
        bufs.forEach(ByteBuf::release);
    }

    /** Closes the channel and checks that every buffer fed and every buffer allocated was released. */
    void assertAllReleased() {
        channel.finishAndReleaseAll();
        for (int i = 0; i < fed.size(); i++) {
            assertThat(fed.get(i).refCnt()).as("reference count of input %d of %d", i, fed.size()).isZero();
        }
        for (int i = 0; i < alloc.allocated.size(); i++) {
            assertThat(alloc.allocated.get(i).refCnt()).as("reference count of allocated buffer %d", i).isZero();
        }
    }
}
