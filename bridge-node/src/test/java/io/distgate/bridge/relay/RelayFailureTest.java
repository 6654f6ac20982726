package io.distgate.bridge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

class RelayFailureTest {

    private static final PacketException BAD_PACKET = new PacketException("oversized", "packet length 99 exceeds 10");

    @Test
    void describesProtocolExceptionByItsReasonAndMessage() {
        assertThat(RelayFailure.describe(BAD_PACKET))
                .isEqualTo(new CloseReason(CloseReason.PROTOCOL, "oversized: packet length 99 exceeds 10"));
    }

    @Test
    void unwrapsProtocolExceptionFromDecoderException() {
        assertThat(RelayFailure.describe(new DecoderException(BAD_PACKET)))
                .isEqualTo(new CloseReason(CloseReason.PROTOCOL, "oversized: packet length 99 exceeds 10"));
    }

    @Test
    void describesIoExceptionAsIoError() {
        assertThat(RelayFailure.describe(new SocketException("Connection reset")))
                .isEqualTo(new CloseReason(CloseReason.IO, "Connection reset"));
    }

    @Test
    void describesIoExceptionWithoutMessage() {
        assertThat(RelayFailure.describe(new IOException())).isEqualTo(new CloseReason(CloseReason.IO, "null"));
    }

    @Test
    void describesAnythingElseAsProtocolErrorNamingItsClass() {
        assertThat(RelayFailure.describe(new IllegalStateException("boom")))
                .isEqualTo(new CloseReason(CloseReason.PROTOCOL, "IllegalStateException: boom"));
    }

    @Test
    void describesDecoderExceptionWithoutCauseByItself() {
        assertThat(RelayFailure.describe(new DecoderException("frame too long")).label()).isEqualTo(CloseReason.PROTOCOL);
    }
}
