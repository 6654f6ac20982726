package io.distgate.bridge.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.session.FarSite.Availability;
import io.distgate.bridge.session.SetupMessage.FarChallenge;
import io.distgate.bridge.session.SetupMessage.FarStatus;
import io.distgate.bridge.session.SetupMessage.FarUp;
import io.distgate.bridge.session.SetupMessage.NearAuthenticated;
import io.distgate.bridge.session.SetupMessage.Open;
import io.distgate.bridge.session.SetupMessage.Refuse;
import io.distgate.bridge.session.SetupMessage.StatusReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SetupCodecTest {

    static final Open OPEN = new Open(NodeName.parse("a1@localhost"), NodeName.parse("b1@localhost"),
            0x0000000d07df7fbcL, 0xfffffff0L, 6);

    static final List<Object> ALL = List.of(OPEN, new FarStatus("ok_simultaneous"), new StatusReply(true),
            new StatusReply(false), new FarChallenge(0x8000000000000001L, 0xffffffffL), new NearAuthenticated(0xd, 7),
            new FarUp(), new Refuse(SetupFailure.UNKNOWN_NODE, "b9@localhost is not registered"),
            new Lookup.Request(NodeName.parse("b1@host.example")), new Lookup.Answer(Availability.UNREACHABLE));

    @Test
    void everyMessageRoundTrips() {
        for (Object m : ALL) {
            ByteBuf out = Unpooled.buffer();
            SetupCodec.encode(m, out);
            assertThat(out.readUnsignedShort()).as("length of %s", m).isEqualTo(out.readableBytes());
            assertThat(SetupCodec.decode(out)).isEqualTo(m);
        }
    }

    @Test
    void writesOpenFieldByField() {
        ByteBuf out = Unpooled.buffer();
        SetupCodec.encode(OPEN, out);
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo(""
                + "002b"                              // length 43
                + "01" + "01"                         // OPEN, protocol version 1
                + "000c" + "6131406c6f63616c686f7374" // from "a1@localhost"
                + "000c" + "6231406c6f63616c686f7374" // to "b1@localhost"
                + "0000000d07df7fbc"                  // flags
                + "fffffff0"                          // creation
                + "06");                              // handshake version
    }

    @Test
    void refusesAnotherProtocolVersion() {
        assertThatThrownBy(() -> SetupCodec.decode(Unpooled.wrappedBuffer(HexFormat.of().parseHex("0102"))))
                .isInstanceOf(StreamException.class).hasMessageContaining("version 2; this gateway speaks 1");
    }

    @Test
    void refusesUnknownTypesTruncationAndTrailingBytes() {
        assertThatThrownBy(() -> SetupCodec.decode(Unpooled.wrappedBuffer(new byte[] {42})))
                .isInstanceOf(StreamException.class).hasMessageContaining("type 42 is unknown");
        assertThatThrownBy(() -> SetupCodec.decode(Unpooled.wrappedBuffer(new byte[] {4, 0, 0})))
                .isInstanceOf(StreamException.class).hasMessageContaining("FAR_CHALLENGE flags needs 8 bytes");
        assertThatThrownBy(() -> SetupCodec.decode(Unpooled.wrappedBuffer(new byte[] {6, 0})))
                .isInstanceOf(StreamException.class).hasMessageContaining("1 bytes after its last field");
        assertThatThrownBy(() -> SetupCodec.decode(Unpooled.wrappedBuffer(HexFormat.of().parseHex("0101" + "0005" + "6e6f617421"))))
                .isInstanceOf(StreamException.class).hasMessageContaining("OPEN from: node name 'noat!' has no '@'");
    }

    @Test
    void decoderPassesRawBytesOnAfterTheTerminalMessageWhateverTheSplit() {
        ByteBuf stream = Unpooled.buffer();
        SetupCodec.encode(new FarStatus("ok"), stream);
        SetupCodec.encode(new FarChallenge(1, 2), stream);
        SetupCodec.encode(new FarUp(), stream);
        stream.writeBytes(new byte[] {0, 0, 0, 3, 112, 1, 2});
        byte[] bytes = ByteBufUtil.getBytes(stream);
        for (int split = 0; split <= bytes.length; split++) {
            EmbeddedChannel ch = new EmbeddedChannel(new SetupDecoder(StreamPipeline.NEAR_TERMINAL));
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, 0, split));
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, split, bytes.length - split));
            assertThat((Object) ch.readInbound()).isEqualTo(new FarStatus("ok"));
            assertThat((Object) ch.readInbound()).isEqualTo(new FarChallenge(1, 2));
            assertThat((Object) ch.readInbound()).isEqualTo(new FarUp());
            ByteBuf raw = Unpooled.buffer();
            for (Object m; (m = ch.readInbound()) != null; ) {
                raw.writeBytes((ByteBuf) m);
                ((ByteBuf) m).release();
            }
            assertThat(ByteBufUtil.hexDump(raw)).as("split at %d", split).isEqualTo("00000003700102");
        }
    }

    @Test
    void decoderRefusesOversizedMessagesBeforeBufferingThem() {
        EmbeddedChannel ch = new EmbeddedChannel(new SetupDecoder(Set.of()));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, (byte) 0xff, 1})))
                .hasRootCauseInstanceOf(StreamException.class).hasMessageContaining("65535 bytes; the limit is 2048");
    }
}
