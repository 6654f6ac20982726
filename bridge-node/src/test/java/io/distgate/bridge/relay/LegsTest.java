package io.distgate.bridge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LegsTest {

    private static final CloseReason TIMEOUT = new CloseReason(CloseReason.TICK_TIMEOUT, "nothing received for 60000 ms");
    private static final CloseReason FALLBACK = CloseReason.closed("connection closed by peer");

    private final EmbeddedChannel channel = new EmbeddedChannel();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void closesWithTheReasonGiven() {
        Legs.close(channel, TIMEOUT);

        assertThat(channel.isOpen()).isFalse();
        assertThat(Legs.closeReason(channel, FALLBACK)).isEqualTo(TIMEOUT);
    }

    @Test
    void keepsTheFirstReasonRecorded() {
        Legs.markReason(channel, TIMEOUT);
        Legs.close(channel, new CloseReason(CloseReason.SHUTDOWN, "gateway stopping"));

        assertThat(Legs.closeReason(channel, FALLBACK)).isEqualTo(TIMEOUT);
    }

    @Test
    void marksWithoutClosing() {
        Legs.markReason(channel, TIMEOUT);

        assertThat(channel.isOpen()).isTrue();
        assertThat(Legs.closeReason(channel, FALLBACK)).isEqualTo(TIMEOUT);
    }

    @Test
    void fallsBackWhenTheChannelClosedByItself() {
        channel.close();

        assertThat(Legs.closeReason(channel, FALLBACK)).isEqualTo(FALLBACK);
    }

    @Test
    void closeReasonReadsAsLabelThenDetail() {
        assertThat(TIMEOUT).hasToString("net_tick_timeout: nothing received for 60000 ms");
        assertThat(CloseReason.closed("by peer").label()).isEqualTo(CloseReason.CLOSED);
    }
}
