package io.distgate.bridge.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distgate.bridge.handshake.HandshakeMessage.Challenge;
import io.distgate.bridge.handshake.HandshakeMessage.ChallengeAck;
import io.distgate.bridge.handshake.HandshakeMessage.ChallengeReply;
import io.distgate.bridge.handshake.HandshakeMessage.Complement;
import io.distgate.bridge.handshake.HandshakeMessage.SendName;
import io.distgate.bridge.handshake.HandshakeMessage.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HandshakeCodecTest {

    /**
     * A send_name captured from OTP 25.2.3 ({@code erl -sname a1@localhost} pinging a fake node
     * registered with epmd), without its 2-byte length {@code 001b}.
     */
    static final String SEND_NAME_V6 = ""
            + "4e"                      // 'N'
            + "0000000d07df7fbd"        // flags: OTP 25's default set, PUBLISHED included (a visible node)
            + "6b0a6d92"                // creation
            + "000c"                    // name length 12
            + "6131406c6f63616c686f7374"; // "a1@localhost"

    @Test
    void decodesVersion6SendName() {
        HandshakeMessage m = HandshakeCodec.decodeFromInitiator(hex(SEND_NAME_V6));
        assertThat(m).isEqualTo(new SendName(6, 0x0000000d07df7fbdL, 0x6b0a6d92L, "a1@localhost"));
    }

    @Test
    void decodesVersion5SendNameWithNameToEndOfMessage() {
        String body = "6e"            // 'n'
                + "0005"              // version 5
                + "07df7fbc"          // low 32 flag bits
                + "6131406c6f63616c686f7374"; // "a1@localhost", no length: runs to the end
        assertThat(HandshakeCodec.decodeFromInitiator(hex(body)))
                .isEqualTo(new SendName(5, 0x07df7fbcL, 0, "a1@localhost"));
    }

    @Test
    void ignoresBytesAfterTheNameAsOtpDoes() {
        assertThat(HandshakeCodec.decodeFromInitiator(hex(SEND_NAME_V6 + "ffff")))
                .isEqualTo(new SendName(6, 0x0000000d07df7fbdL, 0x6b0a6d92L, "a1@localhost"));
    }

    @Test
    void decodesChallengeFromAcceptor() {
        String body = "4e"                   // 'N'
                + "0000000d07df7fbd"         // flags
                + "499602d2"                 // challenge 1234567890
                + "00000005"                 // creation 5
                + "000c" + "6231406c6f63616c686f7374"; // "b1@localhost"
        assertThat(HandshakeCodec.decodeFromAcceptor(hex(body)))
                .isEqualTo(new Challenge(0x0000000d07df7fbdL, 1234567890L, 5, "b1@localhost"));
    }

    @Test
    void readsUnsignedChallengeAndCreation() {
        String body = "4e" + "0000000000000000" + "b2d05e00" /* 3000000000 */ + "fffffffe" + "0003" + "614062";
        Challenge c = (Challenge) HandshakeCodec.decodeFromAcceptor(hex(body));
        assertThat(c.challenge()).isEqualTo(3_000_000_000L);
        assertThat(c.creation()).isEqualTo(0xfffffffeL);
    }

    @Test
    void decodesStatusComplementReplyAndAck() {
        assertThat(HandshakeCodec.decodeFromAcceptor(hex("73" + "6f6b"))).isEqualTo(new Status("ok"));
        assertThat(HandshakeCodec.decodeFromInitiator(hex("73" + "74727565"))).isEqualTo(new Status("true"));
        assertThat(HandshakeCodec.decodeFromInitiator(hex("63" + "0000000d" + "00000007")))
                .isEqualTo(new Complement(0xd, 7));
        byte[] digest = HexFormat.of().parseHex("e0fcfc1ba511fc6fe6ee357c9addb932");
        assertThat(HandshakeCodec.decodeFromInitiator(hex("72" + "00000010" + "e0fcfc1ba511fc6fe6ee357c9addb932")))
                .isEqualTo(new ChallengeReply(16, digest));
        assertThat(HandshakeCodec.decodeFromAcceptor(hex("61" + "e0fcfc1ba511fc6fe6ee357c9addb932")))
                .isEqualTo(new ChallengeAck(digest));
    }

    @Test
    void encodesEveryMessageSoItDecodesBack() {
        byte[] d = new byte[16];
        d[3] = 9;
        roundTripFromInitiator(new SendName(6, 0x1234_5678_9abc_def0L, 0xffff_fff0L, "a1@h"));
        roundTripFromInitiator(new SendName(5, 0x9abc_def0L, 0, "a1@h"));
        roundTripFromInitiator(new Status("false"));
        roundTripFromInitiator(new Complement(0xfedc_ba98L, 0x8000_0001L));
        roundTripFromInitiator(new ChallengeReply(0xffff_ffffL, d));
        roundTripFromAcceptor(new Status("ok_simultaneous"));
        roundTripFromAcceptor(new Challenge(0x8000_0000_0000_0001L, 0x8000_0000L, 4, "b1@host.example"));
        roundTripFromAcceptor(new ChallengeAck(d));
    }

    @Test
    void writesSendNameV6FieldByField() {
        ByteBuf out = Unpooled.buffer();
        HandshakeCodec.encode(new SendName(6, 0x0000000d07df7fbdL, 0x6b0a6d92L, "a1@localhost"), out);
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo(SEND_NAME_V6);
    }

    @Test
    void rejectsTruncatedSendName() {
        assertThatThrownBy(() -> HandshakeCodec.decodeFromInitiator(hex("4e" + "0000000d07df7fbd" + "6b0a")))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("needs 14 bytes")
                .extracting(e -> ((HandshakeException) e).reason()).isEqualTo(HandshakeException.MALFORMED);
    }

    @Test
    void rejectsNameLengthBeyondTheMessage() {
        assertThatThrownBy(() -> HandshakeCodec.decodeFromInitiator(hex("4e" + "0000000d07df7fbc" + "63826a4b" + "0020" + "6131")))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("name length 32 exceeds the 2 bytes left");
    }

    @Test
    void rejectsNameLongerThanAnAtom() {
        String name = "61".repeat(256);
        assertThatThrownBy(() -> HandshakeCodec.decodeFromInitiator(hex("4e" + "0000000d07df7fbc" + "63826a4b" + "0100" + name)))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("exceeds the 255 characters")
                .extracting(e -> ((HandshakeException) e).reason()).isEqualTo(HandshakeException.BAD_NAME);
    }

    @Test
    void rejectsVersion5SendNameWithAnotherVersion() {
        assertThatThrownBy(() -> HandshakeCodec.decodeFromInitiator(hex("6e" + "0006" + "07df7fbc" + "614062")))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("carries version 6");
    }

    @Test
    void rejectsDigestOfWrongLength() {
        assertThatThrownBy(() -> HandshakeCodec.decodeFromInitiator(hex("72" + "00000010" + "00".repeat(15))))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("must be 20 bytes after the tag, got 19");
        assertThatThrownBy(() -> HandshakeCodec.decodeFromAcceptor(hex("61" + "00".repeat(17))))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("must be 16 bytes after the tag, got 17");
    }

    @Test
    void rejectsUnknownTag() {
        assertThatThrownBy(() -> HandshakeCodec.decodeFromInitiator(hex("47455420")))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("unknown handshake message tag 0x47");
    }

    @Test
    void rejectsOldChallengeOfPre23Handshake() {
        assertThatThrownBy(() -> HandshakeCodec.decodeFromAcceptor(hex("6e" + "0005" + "00000004" + "00000001" + "614062")))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("OTP 22 or older")
                .extracting(e -> ((HandshakeException) e).reason()).isEqualTo(HandshakeException.VERSION);
    }

    @Test
    void rejectsEmptyMessage() {
        assertThatThrownBy(() -> HandshakeCodec.decodeFromInitiator(Unpooled.EMPTY_BUFFER))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("message tag needs 1 bytes");
    }

    private static void roundTripFromInitiator(HandshakeMessage m) {
        ByteBuf out = Unpooled.buffer();
        HandshakeCodec.encode(m, out);
        assertThat(HandshakeCodec.decodeFromInitiator(out)).isEqualTo(m);
    }

    private static void roundTripFromAcceptor(HandshakeMessage m) {
        ByteBuf out = Unpooled.buffer();
        HandshakeCodec.encode(m, out);
        assertThat(HandshakeCodec.decodeFromAcceptor(out)).isEqualTo(m);
    }

    static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
    }
}
