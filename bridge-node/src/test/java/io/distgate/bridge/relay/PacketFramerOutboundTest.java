package io.distgate.bridge.relay;

import static io.distgate.bridge.relay.Packets.LINK;
import static io.distgate.bridge.relay.Packets.LINK_OP;
import static io.distgate.bridge.relay.Packets.NODE_LINK;
import static io.distgate.bridge.relay.Packets.NODE_LINK_OP;
import static io.distgate.bridge.relay.Packets.REG_SEND;
import static io.distgate.bridge.relay.Packets.REG_SEND_OP;
import static io.distgate.bridge.relay.Packets.SEND;
import static io.distgate.bridge.relay.Packets.SEND_OP;
import static io.distgate.bridge.relay.Packets.TICK;
import static io.distgate.bridge.relay.Packets.chunks;
import static io.distgate.bridge.relay.Packets.concat;
import static io.distgate.bridge.relay.Packets.cut;
import static io.distgate.bridge.relay.Packets.framed;
import static io.distgate.bridge.relay.Packets.hex;
import static io.distgate.bridge.relay.RecordingCounters.in;
import static org.assertj.core.api.Assertions.assertThat;

import io.distgate.bridge.relay.RecordingCounters.Counted;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Gateway → node: packet boundaries and counts in what is written to a leg. */
class PacketFramerOutboundTest {

    /** SEND with payload, a tick, REG_SEND, LINK, NODE_LINK (shorter than the peek window), a tick. */
    private static final byte[] STREAM = concat(
            framed(SEND), TICK, framed(REG_SEND), framed(LINK), framed(NODE_LINK), TICK);
    private static final List<Counted> COUNTED = List.of(
            in(SEND_OP, SEND), in(REG_SEND_OP, REG_SEND), in(LINK_OP, LINK), in(NODE_LINK_OP, NODE_LINK));
    /** Offsets in {@link #STREAM} where one packet has ended and the next not begun. */
    private static final Set<Integer> BOUNDARIES = boundaries(
            framed(SEND), TICK, framed(REG_SEND), framed(LINK), framed(NODE_LINK), TICK);

    @Test
    void isAtBoundaryBeforeAnythingIsWritten() {
        FramerLeg leg = new FramerLeg();

        assertThat(leg.framer.atOutboundBoundary()).isTrue();
        leg.assertAllReleased();
    }

    @Test
    void writesStreamUnchangedAndCountsEachPacketOnce() {
        FramerLeg leg = new FramerLeg();
        ByteBuf stream = Unpooled.wrappedBuffer(STREAM.clone());

        leg.channel.writeOutbound(stream);

        List<ByteBuf> written = leg.written();
        assertThat(written).containsExactly(stream);
        assertThat(FramerLeg.bytes(written)).isEqualTo(STREAM);
        assertThat(leg.counters.counted).isEqualTo(COUNTED);
        assertThat(leg.framer.atOutboundBoundary()).isTrue();
        FramerLeg.release(written);
        leg.assertAllReleased();
    }

    @Test
    void tracksBoundariesAcrossWritesSplitAtEveryPosition() {
        for (int at = 0; at <= STREAM.length; at++) {
            FramerLeg leg = new FramerLeg();
            List<ByteBuf> pieces = cut(STREAM, at);

            leg.channel.writeOutbound(pieces.get(0));
            boolean afterFirst = leg.framer.atOutboundBoundary();
            leg.channel.writeOutbound(pieces.get(1));

            assertThat(afterFirst).as("at boundary after %d bytes", at).isEqualTo(BOUNDARIES.contains(at));
            assertThat(leg.framer.atOutboundBoundary()).as("at the end, split at %d", at).isTrue();
            assertThat(leg.counters.counted).as("split at %d", at).isEqualTo(COUNTED);
            FramerLeg.release(leg.written());
        }
    }

    @Test
    void isAtBoundaryExactlyBetweenPacketsWhenWrittenOneByteAtATime() {
        FramerLeg leg = new FramerLeg();
        List<ByteBuf> bytes = chunks(STREAM, 1);
        Set<Integer> seen = new TreeSet<>();

        for (int i = 0; i < bytes.size(); i++) {
            leg.channel.writeOutbound(bytes.get(i));
            if (leg.framer.atOutboundBoundary()) {
                seen.add(i + 1);
            }
        }

        Set<Integer> expected = new TreeSet<>(BOUNDARIES);
        expected.remove(0);
        assertThat(seen).isEqualTo(expected);
        assertThat(leg.counters.counted).isEqualTo(COUNTED);
        List<ByteBuf> written = leg.written();
        assertThat(FramerLeg.bytes(written)).isEqualTo(STREAM);
        FramerLeg.release(written);
        leg.assertAllReleased();
    }

    @Test
    void readsLengthFieldSplitAcrossThreeWrites() {
        FramerLeg leg = new FramerLeg();
        byte[] link = framed(LINK);
        List<ByteBuf> pieces = cut(link, 1, 3);         // 1 byte, 2 bytes, then the last length byte and the body

        leg.channel.writeOutbound(pieces.get(0));
        assertThat(leg.framer.atOutboundBoundary()).isFalse();
        leg.channel.writeOutbound(pieces.get(1));
        assertThat(leg.framer.atOutboundBoundary()).isFalse();
        leg.channel.writeOutbound(pieces.get(2));

        assertThat(leg.framer.atOutboundBoundary()).isTrue();
        assertThat(leg.counters.counted).containsExactly(in(LINK_OP, LINK));
        FramerLeg.release(leg.written());
        leg.assertAllReleased();
    }

    @Test
    void countsNothingForZeroLengthPackets() {
        FramerLeg leg = new FramerLeg();

        leg.channel.writeOutbound(Unpooled.wrappedBuffer(concat(TICK, TICK, TICK)));
        leg.channel.writeOutbound(Unpooled.wrappedBuffer(new byte[] {0, 0}), Unpooled.wrappedBuffer(new byte[] {0, 0}));

        assertThat(leg.counters.counted).isEmpty();
        assertThat(leg.framer.atOutboundBoundary()).isTrue();
        FramerLeg.release(leg.written());
        leg.assertAllReleased();
    }

    @Test
    void countsPacketShorterThanThePeekWindowWithItsOp() {
        FramerLeg leg = new FramerLeg();

        leg.channel.writeOutbound(Unpooled.wrappedBuffer(framed(NODE_LINK)));

        assertThat(NODE_LINK.length).isLessThan(12);
        assertThat(leg.counters.counted).containsExactly(in(NODE_LINK_OP, NODE_LINK));
        FramerLeg.release(leg.written());
        leg.assertAllReleased();
    }

    @Test
    void countsLargePacketOnceWithItsFullLength() {
        FramerLeg leg = new FramerLeg();
        byte[] body = Packets.sendWithBinary(1 << 20);

        for (ByteBuf piece : chunks(framed(body), 64 * 1024)) {
            leg.channel.writeOutbound(piece);
            FramerLeg.release(leg.written());
        }

        assertThat(leg.counters.counted).containsExactly(in(SEND_OP, body));
        assertThat(leg.framer.atOutboundBoundary()).isTrue();
        leg.assertAllReleased();
    }

    @Test
    void writesAndCountsUnreadablePacketAsUnknownOp() {
        FramerLeg leg = new FramerLeg();
        // 131 68 (a distribution header) where PASS_THROUGH belongs: not the framer's to refuse
        // on the way out, and counting must not lose it.
        byte[] body = hex("83" + "44" + "00" + "6803" + "6101" + "6A" + "6A");
        ByteBuf packet = Unpooled.wrappedBuffer(framed(body));

        leg.channel.writeOutbound(packet, Unpooled.wrappedBuffer(framed(LINK)));

        List<ByteBuf> written = leg.written();
        assertThat(written).first().isSameAs(packet);
        assertThat(FramerLeg.bytes(written)).isEqualTo(concat(framed(body), framed(LINK)));
        FramerLeg.release(written);
        assertThat(leg.counters.counted).containsExactly(in(0, body), in(LINK_OP, LINK));
        assertThat(leg.framer.atOutboundBoundary()).isTrue();
        leg.assertAllReleased();
    }

    @Test
    void passesWritesThatAreNotBuffersUntouched() {
        FramerLeg leg = new FramerLeg();
        Object message = "not a buffer";

        leg.channel.writeOutbound(message);

        assertThat((Object) leg.channel.readOutbound()).isSameAs(message);
        assertThat(leg.framer.atOutboundBoundary()).isTrue();
        assertThat(leg.counters.counted).isEmpty();
        leg.assertAllReleased();
    }

    private static Set<Integer> boundaries(byte[]... packets) {
        Set<Integer> at = new TreeSet<>();
        int offset = 0;
        at.add(offset);
        for (byte[] packet : packets) {
            offset += packet.length;
            at.add(offset);
        }
        return at;
    }
}
