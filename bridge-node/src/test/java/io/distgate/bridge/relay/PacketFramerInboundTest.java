package io.distgate.bridge.relay;

import static io.distgate.bridge.relay.Packets.LINK;
import static io.distgate.bridge.relay.Packets.LINK_OP;
import static io.distgate.bridge.relay.Packets.REG_SEND;
import static io.distgate.bridge.relay.Packets.REG_SEND_OP;
import static io.distgate.bridge.relay.Packets.SEND;
import static io.distgate.bridge.relay.Packets.SEND_CONTROL_END;
import static io.distgate.bridge.relay.Packets.SEND_OP;
import static io.distgate.bridge.relay.Packets.TICK;
import static io.distgate.bridge.relay.Packets.chunks;
import static io.distgate.bridge.relay.Packets.concat;
import static io.distgate.bridge.relay.Packets.cut;
import static io.distgate.bridge.relay.Packets.framed;
import static io.distgate.bridge.relay.Packets.hex;
import static io.distgate.bridge.relay.RecordingCounters.out;
import static org.assertj.core.api.Assertions.assertThat;

import io.distgate.bridge.dist.ProtocolException;
import io.distgate.bridge.etf.EtfException;
import io.distgate.bridge.etf.EtfLimits;
import io.distgate.bridge.relay.RecordingCounters.Counted;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Node → gateway: finding packets in what a leg reads, cut-through (reference section 4.1). */
class PacketFramerInboundTest {

    /** A tick, SEND with payload, a tick, REG_SEND with payload, LINK without payload, a tick. */
    private static final byte[] STREAM = concat(TICK, framed(SEND), TICK, framed(REG_SEND), framed(LINK), TICK);
    /** What the framer passes on: the stream without its ticks. */
    private static final byte[] RELAYED = concat(framed(SEND), framed(REG_SEND), framed(LINK));
    private static final List<Counted> COUNTED = List.of(
            out(SEND_OP, SEND), out(REG_SEND_OP, REG_SEND), out(LINK_OP, LINK));

    /** A packet with a distribution header (131 68, no atom cache refs) where 112 belongs. */
    private static final byte[] DIST_HEADER = hex(""
            + "83" + "44" + "00"                                   // 131, 'D', NumberOfAtomCacheRefs 0
            + "6803" + "6101" + "6A" + "6A");                       // {1, [], []}, no 131 after a header
    /** {1, <tag 255>, …}: a tag that does not exist. */
    private static final byte[] GARBAGE_TAG = hex("70" + "83" + "6803" + "6101" + "FF" + "000000000000");

    private static final int ONE_MIB = 1 << 20;
    private static final int READ_SIZE = 64 * 1024;

    private static ResourceLeakDetector.Level leakLevel;

    @BeforeAll
    static void detectEveryLeak() {
        leakLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @AfterAll
    static void restoreLeakDetection() {
        ResourceLeakDetector.setLevel(leakLevel);
    }

    @Test
    void passesStreamInOneReadWithoutItsTicks() {
        FramerLeg leg = new FramerLeg().read(cut(STREAM));

        assertThat(leg.passedBytes()).isEqualTo(RELAYED);
        assertThat(leg.counters.counted).isEqualTo(COUNTED);
        leg.assertAllReleased();
    }

    @Test
    void passesStreamSplitAtEveryPositionWithoutItsTicks() {
        for (int at = 0; at <= STREAM.length; at++) {
            FramerLeg leg = new FramerLeg().read(cut(STREAM, at));

            assertThat(leg.passedBytes()).as("split at %d", at).isEqualTo(RELAYED);
            assertThat(leg.counters.counted).as("split at %d", at).isEqualTo(COUNTED);
            leg.assertAllReleased();
        }
    }

    @Test
    void passesStreamReadOneByteAtATime() {
        FramerLeg leg = new FramerLeg().read(chunks(STREAM, 1));

        assertThat(leg.passedBytes()).isEqualTo(RELAYED);
        assertThat(leg.counters.counted).isEqualTo(COUNTED);
        leg.assertAllReleased();
    }

    @Test
    void passesStreamWithEmptyReadsBetweenPieces() {
        List<ByteBuf> pieces = new ArrayList<>();
        for (ByteBuf piece : chunks(STREAM, 7)) {
            pieces.add(piece);
            pieces.add(Unpooled.buffer(0));
        }
        FramerLeg leg = new FramerLeg().read(pieces);

        assertThat(leg.passedBytes()).isEqualTo(RELAYED);
        assertThat(leg.counters.counted).isEqualTo(COUNTED);
        leg.assertAllReleased();
    }

    @Test
    void passesEachRunBetweenTicksAsOneSliceOfTheRead() {
        FramerLeg leg = new FramerLeg().read(cut(STREAM));
        ByteBuf read = leg.fed.get(0);

        List<ByteBuf> passed = leg.passed();

        // SEND, then REG_SEND and LINK together: the ticks around them cut the read into two runs.
        assertThat(passed).hasSize(2);
        assertThat(passed).allSatisfy(buf -> assertThat(buf.unwrap()).isSameAs(read));
        assertThat(FramerLeg.bytes(passed)).isEqualTo(RELAYED);
        assertThat(leg.alloc.allocated).as("nothing copied").isEmpty();
        FramerLeg.release(passed);
        leg.assertAllReleased();
    }

    @Test
    void dropsTicksBetweenPackets() {
        FramerLeg leg = new FramerLeg().read(cut(concat(framed(LINK), TICK, TICK, framed(LINK))));

        assertThat(leg.passedBytes()).isEqualTo(concat(framed(LINK), framed(LINK)));
        assertThat(leg.counters.counted).containsExactly(out(LINK_OP, LINK), out(LINK_OP, LINK));
        leg.assertAllReleased();
    }

    @Test
    void passesNothingForTicksAlone() {
        FramerLeg leg = new FramerLeg().read(chunks(concat(TICK, TICK, TICK), 3));

        assertThat(leg.passed()).isEmpty();
        assertThat(leg.counters.counted).isEmpty();
        leg.assertAllReleased();
    }

    @Test
    void passesLargePacketAsSlicesOfItsReads() {
        byte[] body = Packets.sendWithBinary(ONE_MIB);
        FramerLeg leg = new FramerLeg().read(chunks(framed(body), READ_SIZE));

        List<ByteBuf> passed = leg.passed();

        assertThat(passed).hasSameSizeAs(leg.fed);
        for (int i = 0; i < passed.size(); i++) {
            assertThat(passed.get(i).unwrap()).as("output %d", i).isSameAs(leg.fed.get(i));
        }
        assertThat(FramerLeg.bytes(passed)).isEqualTo(framed(body));
        assertThat(leg.alloc.allocated).as("nothing copied").isEmpty();
        assertThat(leg.counters.counted).containsExactly(out(SEND_OP, body));
        FramerLeg.release(passed);
        leg.assertAllReleased();
    }

    @Test
    void copiesOnlyTheHeadOfALargePacketWhenTheHeadIsSplitAcrossReads() {
        byte[] body = Packets.sendWithBinary(ONE_MIB);
        byte[] framed = framed(body);
        int head = 4 + SEND_CONTROL_END;
        for (int at = 1; at < head; at++) {
            List<ByteBuf> reads = new ArrayList<>(cut(framed, at));
            ByteBuf rest = reads.remove(1);
            reads.addAll(chunks(ByteBufUtil.getBytes(rest), READ_SIZE));
            rest.release();
            FramerLeg leg = new FramerLeg().read(reads);

            List<ByteBuf> passed = leg.passed();

            List<ByteBuf> copies = passed.stream()
                    .filter(buf -> leg.fed.stream().noneMatch(read -> read == buf.unwrap())).toList();
            assertThat(copies).as("split at %d: copied outputs", at).hasSize(1);
            assertThat(copies.get(0).readableBytes()).as("split at %d: bytes copied", at).isLessThanOrEqualTo(head);
            assertThat(FramerLeg.bytes(passed)).as("split at %d", at).isEqualTo(framed);
            assertThat(leg.counters.counted).containsExactly(out(SEND_OP, body));
            FramerLeg.release(passed);
            leg.assertAllReleased();
        }
    }

    @Test
    void rejectsDistributionHeaderInsteadOfPassThrough() {
        FramerLeg leg = new FramerLeg().read(cut(framed(DIST_HEADER)));

        assertRejected(leg, EtfException.NOT_PASS_THROUGH);
        assertThat(leg.passed()).isEmpty();
        assertThat(leg.counters.counted).isEmpty();
        leg.assertAllReleased();
    }

    @Test
    void rejectsUnknownTagInControlMessage() {
        FramerLeg leg = new FramerLeg().read(cut(framed(GARBAGE_TAG)));

        assertRejected(leg, EtfException.UNKNOWN_TAG);
        assertThat(leg.passed()).isEmpty();
        leg.assertAllReleased();
    }

    @Test
    void rejectsControlMessageThatIsNotATuple() {
        byte[] body = hex("70" + "83" + "6101");                      // 112, 131, 1 where a tuple belongs
        FramerLeg leg = new FramerLeg().read(cut(framed(body)));

        assertRejected(leg, EtfException.BAD_CONTROL);
        assertThat(leg.passed()).isEmpty();
        leg.assertAllReleased();
    }

    @Test
    void passesPacketsBeforeAnInvalidOneAndNothingAfterItInOneRead() {
        byte[] stream = concat(framed(SEND), framed(DIST_HEADER), framed(LINK), TICK, framed(LINK));
        FramerLeg leg = new FramerLeg().read(cut(stream));

        assertRejected(leg, EtfException.NOT_PASS_THROUGH);
        assertThat(leg.passedBytes()).isEqualTo(framed(SEND));
        assertThat(leg.counters.counted).containsExactly(out(SEND_OP, SEND));
        leg.assertAllReleased();
    }

    @Test
    void passesPacketsBeforeAnInvalidOneAndNothingAfterItWhereverTheStreamIsSplit() {
        byte[] stream = concat(framed(SEND), TICK, framed(GARBAGE_TAG), framed(LINK), TICK, framed(LINK));
        for (int at = 0; at <= stream.length; at++) {
            FramerLeg leg = new FramerLeg().read(cut(stream, at));

            assertRejected(leg, EtfException.UNKNOWN_TAG);
            assertThat(leg.passedBytes()).as("split at %d", at).isEqualTo(framed(SEND));
            assertThat(leg.counters.counted).as("split at %d", at).containsExactly(out(SEND_OP, SEND));
            leg.assertAllReleased();
        }
    }

    @Test
    void passesNothingAfterAnInvalidPacketReadOneByteAtATime() {
        byte[] stream = concat(framed(SEND), framed(DIST_HEADER), framed(LINK));
        FramerLeg leg = new FramerLeg().read(chunks(stream, 1));

        assertRejected(leg, EtfException.NOT_PASS_THROUGH);
        assertThat(leg.passedBytes()).isEqualTo(framed(SEND));
        assertThat(leg.counters.counted).containsExactly(out(SEND_OP, SEND));
        leg.assertAllReleased();
    }

    @Test
    void failsControlTermOverTheLimitInsteadOfBufferingIt() {
        EtfLimits small = new EtfLimits(EtfLimits.DEFAULT_MAX_DEPTH, 64);
        byte[] body = longControl();
        FramerLeg leg = new FramerLeg(small).read(chunks(framed(body), 1));

        assertRejected(leg, EtfException.TOO_LARGE);
        // Length field, 112, 131 and the 64 bytes allowed: the limit is seen before the term ends.
        assertThat(leg.firstErrorAt).isLessThanOrEqualTo(4 + 2 + 64);
        assertThat(leg.passed()).isEmpty();
        assertThat(leg.alloc.allocated).allSatisfy(buf -> assertThat(buf.maxCapacity()).isLessThanOrEqualTo(4 + 2 + 64 + 1));
        leg.assertAllReleased();
    }

    @Test
    void failsControlTermOverTheLimitInOneRead() {
        EtfLimits small = new EtfLimits(EtfLimits.DEFAULT_MAX_DEPTH, 64);
        FramerLeg leg = new FramerLeg(small).read(cut(framed(longControl())));

        assertRejected(leg, EtfException.TOO_LARGE);
        assertThat(leg.passed()).isEmpty();
        leg.assertAllReleased();
    }

    @Test
    void passesTheSameControlTermUnderTheDefaultLimit() {
        byte[] body = longControl();
        FramerLeg leg = new FramerLeg().read(chunks(framed(body), 1));

        assertThat(leg.errors).isEmpty();
        assertThat(leg.passedBytes()).isEqualTo(framed(body));
        assertThat(leg.counters.counted).containsExactly(out(99, body));
        leg.assertAllReleased();
    }

    @Test
    void releasesAHalfReadHeadWhenTheChannelCloses() {
        List<ByteBuf> pieces = cut(framed(SEND), 4 + 10);
        FramerLeg leg = new FramerLeg().read(pieces.subList(0, 1));
        pieces.get(1).release();                      // the rest never arrives

        assertThat(leg.alloc.allocated).as("the head is being held").hasSize(1);
        assertThat(leg.passed()).isEmpty();
        leg.assertAllReleased();
    }

    private static void assertRejected(FramerLeg leg, String reason) {
        assertThat(leg.errors).as("exceptions").isNotEmpty();
        assertThat(leg.errors.get(0)).isInstanceOfSatisfying(EtfException.class,
                e -> assertThat(((ProtocolException) e).reason()).as(e.getMessage()).isEqualTo(reason));
    }

    /**
     * {99, [1, 1, …, 1]} with 40 SMALL_INTEGER_EXT elements: a 90-byte control term whose size
     * shows only as its elements arrive (op 99 is unknown, so no payload rule applies).
     */
    private static byte[] longControl() {
        return hex("70" + "83" + "6802" + "6163" + "6C00000028" + "6101".repeat(40) + "6A");
    }
}
