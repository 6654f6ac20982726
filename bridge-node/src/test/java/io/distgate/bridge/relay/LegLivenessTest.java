package io.distgate.bridge.relay;

import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ticks and tick timeouts on a leg (reference section 4.2), on the embedded event loop's virtual
 * clock: time only moves when a test moves it, one tick interval at a time.
 */
class LegLivenessTest {

    /** net_ticktime 60 s, net_tickintensity 4. */
    private static final Duration TICK_INTERVAL = Duration.ofSeconds(15);
    private static final Duration DEAD_AFTER = Duration.ofSeconds(60);
    private static final int INTERVALS_TO_DEATH = 4;

    private final AtomicBoolean atBoundary = new AtomicBoolean(true);
    private final LegLiveness liveness = new LegLiveness(TICK_INTERVAL, DEAD_AFTER, atBoundary::get);
    private EmbeddedChannel channel;

    @BeforeEach
    void openLeg() {
        channel = new EmbeddedChannel();
        // As on a relayed leg: reads happen only when asked for.
        channel.config().setAutoRead(false);
        channel.freezeTime();
        channel.pipeline().addLast(liveness);
    }

    @AfterEach
    void closeLeg() {
        channel.finishAndReleaseAll();
    }

    @Test
    void sendsTickWhenIdleAtABoundary() {
        passIntervals(1);

        assertThat(written()).containsExactly("00000000");
    }

    @Test
    void sendsATickEveryIdleInterval() {
        passIntervals(3);

        assertThat(written()).containsExactly("00000000", "00000000", "00000000");
    }

    @Test
    void sendsNoTickBeforeAWholeIntervalHasPassed() {
        channel.advanceTimeBy(TICK_INTERVAL.toNanos() - 1, NANOSECONDS);
        channel.runScheduledPendingTasks();

        assertThat(written()).isEmpty();
    }

    @Test
    void sendsNoTickWhenDataWasWrittenInTheInterval() {
        channel.advanceTimeBy(TICK_INTERVAL.toNanos() / 2, NANOSECONDS);
        channel.writeOutbound(Unpooled.wrappedBuffer(Packets.framed(Packets.LINK)));
        channel.advanceTimeBy(TICK_INTERVAL.toNanos() / 2, NANOSECONDS);
        channel.runScheduledPendingTasks();

        assertThat(written()).containsExactly(ByteBufUtil.hexDump(Packets.framed(Packets.LINK)));
    }

    @Test
    void sendsTickAgainOnceAnIntervalPassesWithoutWrites() {
        channel.writeOutbound(Unpooled.wrappedBuffer(Packets.framed(Packets.LINK)));
        passIntervals(1);
        written();

        passIntervals(1);

        assertThat(written()).containsExactly("00000000");
    }

    @Test
    void sendsNoTickWhileMidPacket() {
        atBoundary.set(false);

        passIntervals(3);

        assertThat(written()).isEmpty();
    }

    @Test
    void sendsTickOnceThePacketIsFinished() {
        atBoundary.set(false);
        passIntervals(2);

        atBoundary.set(true);
        passIntervals(1);

        assertThat(written()).containsExactly("00000000");
    }

    @Test
    void closesWithTickTimeoutWhenNothingArrivesWhileAReadIsPending() {
        channel.read();

        passIntervals(INTERVALS_TO_DEATH - 1);
        assertThat(channel.isOpen()).as("open after %s", TICK_INTERVAL.multipliedBy(INTERVALS_TO_DEATH - 1)).isTrue();
        passIntervals(1);

        assertThat(channel.isOpen()).isFalse();
        assertThat(Legs.closeReason(channel, null).label()).isEqualTo(CloseReason.TICK_TIMEOUT);
    }

    @Test
    void anyBytesReadCountAsLiveness() {
        channel.read();
        passIntervals(2);
        // Part of a read batch: the read stays pending, so only the bytes can have moved the clock.
        channel.pipeline().fireChannelRead(Unpooled.wrappedBuffer(Packets.framed(Packets.LINK)));
        ((ByteBuf) channel.readInbound()).release();

        passIntervals(INTERVALS_TO_DEATH - 1);
        assertThat(channel.isOpen()).as("open %s after the last read", TICK_INTERVAL.multipliedBy(3)).isTrue();
        passIntervals(1);

        assertThat(channel.isOpen()).isFalse();
        assertThat(Legs.closeReason(channel, null).label()).isEqualTo(CloseReason.TICK_TIMEOUT);
    }

    @Test
    void repeatedReadRequestsDoNotPostponeTheTimeout() {
        channel.read();
        passIntervals(2);
        channel.read();

        passIntervals(INTERVALS_TO_DEATH - 2);

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void doesNotCloseWhileNoReadIsRequested() {
        passIntervals(INTERVALS_TO_DEATH * 10);

        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void doesNotCountTimeWhileTheRelayHoldsReadsBack() {
        channel.read();
        passIntervals(1);
        arrives();                                   // the relay asks for no more: its peer is slow

        passIntervals(INTERVALS_TO_DEATH * 10);

        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void restartsTheClockWhenAReadIsRequestedAgain() {
        channel.read();
        passIntervals(1);
        arrives();
        passIntervals(INTERVALS_TO_DEATH * 10);

        channel.read();
        passIntervals(INTERVALS_TO_DEATH - 1);
        assertThat(channel.isOpen()).as("open %s after the read was requested again",
                TICK_INTERVAL.multipliedBy(INTERVALS_TO_DEATH - 1)).isTrue();
        passIntervals(1);

        assertThat(channel.isOpen()).isFalse();
        assertThat(Legs.closeReason(channel, null).label()).isEqualTo(CloseReason.TICK_TIMEOUT);
    }

    @Test
    void keepsTheFirstReasonWhenTheLegWasAlreadyClosing() {
        CloseReason first = new CloseReason(CloseReason.TUNNEL_DOWN, "tunnel to site b lost");
        Legs.markReason(channel, first);
        channel.read();

        passIntervals(INTERVALS_TO_DEATH);

        assertThat(channel.isOpen()).isFalse();
        assertThat(Legs.closeReason(channel, null)).isEqualTo(first);
    }

    @Test
    void stopsTickingWhenTheChannelCloses() {
        channel.close();

        passIntervals(3);

        assertThat(written()).isEmpty();
    }

    @Test
    void stopsTickingWhenRemoved() {
        channel.pipeline().remove(liveness);

        passIntervals(3);

        assertThat(written()).isEmpty();
        assertThat(channel.isOpen()).isTrue();
    }

    /** Lets the tick intervals pass one at a time, running what the event loop scheduled for each. */
    private void passIntervals(int intervals) {
        for (int i = 0; i < intervals; i++) {
            channel.advanceTimeBy(TICK_INTERVAL.toNanos(), NANOSECONDS);
            channel.runScheduledPendingTasks();
        }
    }

    /** Bytes from the node: one read and its read-complete, then released as the relay would. */
    private void arrives() {
        channel.writeInbound(Unpooled.wrappedBuffer(Packets.framed(Packets.LINK)));
        ByteBuf read = channel.readInbound();
        read.release();
    }

    /** What went out towards the node since the last call, in hex, released. */
    private List<String> written() {
        List<String> out = new ArrayList<>();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            out.add(ByteBufUtil.hexDump(buf));
            buf.release();
        }
        return out;
    }
}
