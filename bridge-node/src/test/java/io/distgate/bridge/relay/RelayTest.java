package io.distgate.bridge.relay;

import static io.distgate.bridge.relay.Packets.SEND;
import static io.distgate.bridge.relay.Packets.SEND_OP;
import static io.distgate.bridge.relay.Packets.framed;
import static io.distgate.bridge.relay.Packets.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distgate.bridge.etf.EtfLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two legs joined by {@link Relay#join}, each an {@link EmbeddedChannel} with AUTO_READ off whose
 * pipeline ends with a {@link RelayHandler}. Each channel has its own embedded event loop, so a
 * task one side hands to the other runs when the test runs that side's pending tasks.
 */
class RelayTest {

    private final ReadCounter readsA = new ReadCounter();
    private final ReadCounter readsB = new ReadCounter();
    private final FlushGate gateB = new FlushGate();
    private final List<CloseReason> ended = new ArrayList<>();
    private final List<ByteBuf> messages = new ArrayList<>();
    private EmbeddedChannel a;
    private EmbeddedChannel b;

    @AfterEach
    void closeLegs() {
        if (a != null) {
            a.finishAndReleaseAll();
        }
        if (b != null) {
            b.finishAndReleaseAll();
        }
        for (ByteBuf message : messages) {
            assertThat(message.refCnt()).as("reference count of %s", message).isZero();
        }
    }

    @Test
    void relaysMessagesBothWaysInOrder() {
        legs();
        join();

        a.writeInbound(message("a1"), message("a2"));
        b.writeInbound(message("b1"));
        a.writeInbound(message("a3"));

        assertThat(outbound(b)).containsExactly("a1", "a2", "a3");
        assertThat(outbound(a)).containsExactly("b1");
        assertThat(ended).isEmpty();
    }

    @Test
    void relaysTheSameBuffersItReads() {
        legs();
        join();
        ByteBuf m = message("m");

        a.writeInbound(m);

        ByteBuf relayed = b.readOutbound();
        assertThat(relayed).isSameAs(m);
        relayed.release();
    }

    @Test
    void holdsMessagesUntilJoinedAndReadsNothingMore() {
        legs();

        a.writeInbound(message("early1"));
        a.writeInbound(message("early2"));

        assertThat(readsA.reads).isZero();
        assertThat(outbound(b)).isEmpty();
    }

    @Test
    void deliversMessagesHeldBeforeJoinInOrderAfterJoin() {
        legs();
        a.writeInbound(message("early1"));
        a.writeInbound(message("early2"));

        join();
        a.writeInbound(message("late"));

        assertThat(outbound(b)).containsExactly("early1", "early2", "late");
    }

    @Test
    void readsOnJoinAndAgainAfterEachBatch() {
        legs();
        join();
        assertThat(readsA.reads).isEqualTo(1);
        assertThat(readsB.reads).isEqualTo(1);

        a.writeInbound(message("m1"), message("m2"));

        assertThat(readsA.reads).isEqualTo(2);
        assertThat(readsB.reads).isEqualTo(1);
        outbound(b);
    }

    @Test
    void keepsReadingWhileThePeerIsBelowItsHighWaterMark() {
        legs();
        b.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1024, 2048));
        join();
        gateB.hold();

        a.writeInbound(message("small"));

        assertThat(b.isWritable()).isTrue();
        assertThat(readsA.reads).isEqualTo(2);
        gateB.open();
        assertThat(outbound(b)).containsExactly("small");
    }

    @Test
    void readsNothingWhileThePeerIsOverItsHighWaterMark() {
        legs();
        b.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1024, 2048));
        join();
        gateB.hold();

        a.writeInbound(message("x".repeat(4096)));
        a.runPendingTasks();

        assertThat(b.isWritable()).isFalse();
        assertThat(readsA.reads).as("reads on a").isEqualTo(1);
        gateB.open();
        outbound(b);
    }

    @Test
    void readsAgainOnceThePeerDrainsBelowItsLowWaterMark() {
        legs();
        b.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1024, 2048));
        join();
        gateB.hold();
        a.writeInbound(message("x".repeat(4096)));

        gateB.open();
        assertThat(b.isWritable()).isTrue();
        assertThat(readsA.reads).as("before a's event loop ran the hand-over").isEqualTo(1);
        a.runPendingTasks();

        assertThat(readsA.reads).isEqualTo(2);
        assertThat(outbound(b)).containsExactly("x".repeat(4096));
    }

    @Test
    void waitsToReadWhenThePeerIsNotWritableAtJoin() {
        legs();
        b.unsafe().outboundBuffer().setUserDefinedWritability(1, false);

        join();
        assertThat(readsA.reads).isZero();
        assertThat(readsB.reads).isEqualTo(1);

        b.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        b.runPendingTasks();
        a.runPendingTasks();

        assertThat(readsA.reads).isEqualTo(1);
    }

    @Test
    void doesNotReadTwiceWhenThePeerTurnsWritableWithoutAReadHeldBack() {
        legs();
        join();

        b.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        b.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        b.runPendingTasks();
        a.runPendingTasks();

        assertThat(readsA.reads).isEqualTo(1);
    }

    @Test
    void closingOneSideClosesTheOtherAndEndsOnceWithTheRecordedReason() {
        legs();
        join();
        CloseReason timeout = new CloseReason(CloseReason.TICK_TIMEOUT, "nothing received for 60000 ms");

        Legs.close(a, timeout);
        runAllPendingTasks();

        assertThat(a.isOpen()).isFalse();
        assertThat(b.isOpen()).isFalse();
        assertThat(ended).containsExactly(timeout);
        assertThat(Legs.closeReason(b, null)).as("reason recorded on the other side").isEqualTo(timeout);
    }

    @Test
    void endsWithClosedWhenNoReasonWasRecorded() {
        legs();
        join();

        b.close();
        runAllPendingTasks();

        assertThat(a.isOpen()).isFalse();
        assertThat(ended).hasSize(1);
        assertThat(ended.get(0).label()).isEqualTo(CloseReason.CLOSED);
    }

    @Test
    void endsOnceWhenBothSidesClose() {
        legs();
        join();

        a.close();
        b.close();
        runAllPendingTasks();

        assertThat(ended).hasSize(1);
    }

    @Test
    void flushesWhatIsQueuedForThePeerBeforeClosingIt() {
        legs();
        join();
        // Read, but the batch has not completed, so the relay has not flushed it to b yet.
        a.pipeline().fireChannelRead(message("last words"));
        assertThat(outbound(b)).isEmpty();

        a.close();
        runAllPendingTasks();

        assertThat(b.isOpen()).isFalse();
        assertThat(outbound(b)).containsExactly("last words");
    }

    @Test
    void closesOnExceptionAndEndsWithItsReason() {
        legs();
        join();

        a.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
        runAllPendingTasks();

        assertThat(a.isOpen()).isFalse();
        assertThat(b.isOpen()).isFalse();
        assertThat(ended).containsExactly(new CloseReason(CloseReason.IO, "Connection reset by peer"));
    }

    @Test
    void closesOnInvalidPacketWithProtocolErrorAndPassesOnlyWhatCameBefore() {
        a = leg(new PacketFramer(RelayCounters.NONE, EtfLimits.DEFAULTS), readsA);
        b = leg(gateB, readsB);
        join();
        byte[] distHeader = hex("83" + "44" + "00" + "6803" + "6101" + "6A" + "6A");  // 131 'D', not 112

        a.writeInbound(track(Unpooled.wrappedBuffer(Packets.concat(framed(SEND), framed(distHeader)))));
        runAllPendingTasks();

        assertThat(a.isOpen()).isFalse();
        assertThat(b.isOpen()).isFalse();
        assertThat(ended).hasSize(1);
        assertThat(ended.get(0).label()).isEqualTo(CloseReason.PROTOCOL);
        assertThat(ended.get(0).detail()).startsWith("not_pass_through: ");
        assertThat(outboundBytes(b)).isEqualTo(framed(SEND));
    }

    @Test
    void countsEachPacketOnBothLegsItCrosses() {
        RecordingCounters countsA = new RecordingCounters();
        RecordingCounters countsB = new RecordingCounters();
        a = leg(new PacketFramer(countsA, EtfLimits.DEFAULTS), readsA);
        b = leg(new PacketFramer(countsB, EtfLimits.DEFAULTS), readsB);
        join();

        a.writeInbound(track(Unpooled.wrappedBuffer(framed(SEND))));

        assertThat(outboundBytes(b)).isEqualTo(framed(SEND));
        assertThat(countsA.counted).containsExactly(RecordingCounters.out(SEND_OP, SEND));
        assertThat(countsB.counted).containsExactly(RecordingCounters.in(SEND_OP, SEND));
    }

    @Test
    void endsWithTheRecordedReasonWhenASideClosedBeforeJoin() {
        legs();
        CloseReason timeout = new CloseReason(CloseReason.TICK_TIMEOUT, "nothing received for 60000 ms");
        Legs.close(a, timeout);

        join();
        runAllPendingTasks();

        assertThat(b.isOpen()).isFalse();
        assertThat(ended).containsExactly(timeout);
    }

    @Test
    void endsWithClosedWhenASideClosedBeforeJoinWithoutAReason() {
        legs();
        a.close();

        join();
        runAllPendingTasks();

        assertThat(b.isOpen()).isFalse();
        assertThat(ended).hasSize(1);
        assertThat(ended.get(0).label()).isEqualTo(CloseReason.CLOSED);
    }

    @Test
    void startEndsWithTheRecordedReasonWhenItsChannelClosedBeforeItRan() {
        legs();
        RelayHandler relayA = a.pipeline().get(RelayHandler.class);
        CloseReason timeout = new CloseReason(CloseReason.TICK_TIMEOUT, "nothing received for 60000 ms");
        Legs.markReason(a, timeout);
        a.pipeline().close();                        // closed; channelInactive still queued on a's loop
        assertThat(a.isActive()).isFalse();

        relayA.start(b, (channel, reason) -> ended.add(reason));

        assertThat(ended).containsExactly(timeout);
        assertThat(b.isOpen()).isFalse();
        assertThat(Legs.closeReason(b, null)).isEqualTo(timeout);
    }

    @Test
    void releasesHeldMessagesWhenTheChannelClosesBeforeJoin() {
        legs();
        ByteBuf early = message("early");
        a.writeInbound(early);

        a.close();

        assertThat(early.refCnt()).isZero();
    }

    @Test
    void releasesWhatIsReadAfterThePeerClosed() {
        FlushGate gateA = new FlushGate();
        a = leg(gateA, readsA);
        b = leg(readsB);
        join();
        gateA.hold();                                // a's own close waits behind its last flush
        b.close();
        runAllPendingTasks();
        assertThat(a.isOpen()).isTrue();
        ByteBuf late = message("late");

        a.pipeline().fireChannelRead(late);

        assertThat(late.refCnt()).isZero();
        gateA.open();
        assertThat(a.isOpen()).isFalse();
        assertThat(ended).hasSize(1);
    }

    @Test
    void endsWithTheReasonOfTheSideThatClosedFirstWhenBothClosedBeforeJoin() {
        legs();
        CloseReason timeout = new CloseReason(CloseReason.TICK_TIMEOUT, "nothing received for 60000 ms");
        Legs.close(a, timeout);
        b.close();

        join();
        runAllPendingTasks();

        assertThat(ended).containsExactly(timeout);
    }

    @Test
    void endsWithTheRecordedReasonWhenASideClosesBetweenJoinAndStart() {
        legs();
        CloseReason timeout = new CloseReason(CloseReason.TICK_TIMEOUT, "nothing received for 60000 ms");

        Relay.join(a, b, ended::add);
        // Through the pipeline, not EmbeddedChannel.close(), which would run the start task first.
        Legs.markReason(a, timeout);
        a.pipeline().close();
        runAllPendingTasks();

        assertThat(b.isOpen()).isFalse();
        assertThat(ended).containsExactly(timeout);
    }

    @Test
    void refusesToJoinAChannelWithoutRelayHandler() {
        legs();
        EmbeddedChannel bare = new EmbeddedChannel();

        assertThatThrownBy(() -> Relay.join(a, bare, ended::add))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no RelayHandler");
        bare.finishAndReleaseAll();
    }

    private void legs() {
        a = leg(readsA);
        b = leg(gateB, readsB);
    }

    private static EmbeddedChannel leg(ChannelHandler... handlers) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAutoRead(false);
        channel.pipeline().addLast(handlers);
        channel.pipeline().addLast(new RelayHandler());
        return channel;
    }

    private void join() {
        Relay.join(a, b, ended::add);
        runAllPendingTasks();
    }

    private void runAllPendingTasks() {
        for (int i = 0; i < 3; i++) {
            a.runPendingTasks();
            b.runPendingTasks();
        }
    }

    private ByteBuf message(String text) {
        return track(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    private ByteBuf track(ByteBuf buf) {
        messages.add(buf);
        return buf;
    }

    /** What {@code channel} wrote towards its node, as text, released. */
    private static List<String> outbound(EmbeddedChannel channel) {
        List<String> out = new ArrayList<>();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            if (buf.isReadable()) {
                out.add(buf.toString(StandardCharsets.US_ASCII));
            }
            buf.release();
        }
        return out;
    }

    private static byte[] outboundBytes(EmbeddedChannel channel) {
        List<ByteBuf> out = new ArrayList<>();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            out.add(buf);
        }
        byte[] bytes = FramerLeg.bytes(out);
        FramerLeg.release(out);
        return bytes;
    }

    /** Counts the read requests that pass it on their way to the socket. */
    private static final class ReadCounter extends ChannelOutboundHandlerAdapter {

        int reads;

        @Override
        public void read(ChannelHandlerContext ctx) {
            reads++;
            ctx.read();
        }
    }

    /**
     * Holds flushes back while closed, as a slow socket would: what is written stays in the
     * channel's outbound buffer and counts against its write-buffer water marks.
     */
    private static final class FlushGate extends ChannelOutboundHandlerAdapter {

        private ChannelHandlerContext ctx;
        private boolean holding;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (!holding) {
                ctx.flush();
            }
        }

        void hold() {
            holding = true;
        }

        void open() {
            holding = false;
            ctx.flush();
        }
    }
}
