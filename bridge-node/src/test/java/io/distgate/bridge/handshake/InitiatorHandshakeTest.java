package io.distgate.bridge.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distgate.bridge.dist.Cookie;
import io.distgate.bridge.dist.DistFlags;
import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.handshake.HandshakeMessage.Challenge;
import io.distgate.bridge.handshake.HandshakeMessage.ChallengeAck;
import io.distgate.bridge.handshake.HandshakeMessage.ChallengeReply;
import io.distgate.bridge.handshake.HandshakeMessage.Complement;
import io.distgate.bridge.handshake.HandshakeMessage.SendName;
import io.distgate.bridge.handshake.HandshakeMessage.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitiatorHandshakeTest {

    static final long OTP25 = 0x0000000d07df7fbdL;
    static final Cookie COOKIE = Cookie.of("cookie-b");
    static final NodeName A1 = NodeName.parse("a1@localhost");
    static final NodeName B1 = NodeName.parse("b1@localhost");

    private InitiatorHandshake v6() {
        return new InitiatorHandshake(COOKIE, B1, A1, OTP25, 4321, 6, () -> 99);
    }

    @Test
    void completesVersion6HandshakeUnderTheDiallersNameAndCreation() {
        InitiatorHandshake hs = v6();
        assertThat(hs.sendName()).isEqualTo(new SendName(6, OTP25, 4321, "a1@localhost"));
        assertThat(hs.receive(new Status("ok"))).isEqualTo("ok");
        Challenge c = hs.receive(new Challenge(OTP25, 1234567890L, 17, "b1@localhost"));
        assertThat(c.creation()).isEqualTo(17);
        assertThat(hs.peerFlags()).isEqualTo(DistFlags.expand(OTP25));
        List<HandshakeMessage> reply = hs.reply(0, 0);
        assertThat(reply).containsExactly(new ChallengeReply(99, COOKIE.digest(1234567890L)));
        hs.receive(new ChallengeAck(COOKIE.digest(99)));
        assertThat(hs.isDone()).isTrue();
    }

    @Test
    void version5SendsLowFlagsFirstAndTheRestInTheComplement() {
        InitiatorHandshake hs = new InitiatorHandshake(COOKIE, B1, A1, OTP25 & 0xFFFF_FFFFL, 0, 5, () -> 99);
        assertThat(hs.sendName()).isEqualTo(new SendName(5, OTP25 & 0xFFFF_FFFFL, 0, "a1@localhost"));
        hs.receive(new Status("ok"));
        hs.receive(new Challenge(OTP25, 7, 17, "b1@localhost"));
        assertThat(hs.reply(OTP25 >>> 32, 4321))
                .containsExactly(new Complement(OTP25 >>> 32, 4321), new ChallengeReply(99, COOKIE.digest(7)));
    }

    @Test
    void answersAliveAsTold() {
        InitiatorHandshake hs = v6();
        hs.sendName();
        assertThat(hs.receive(new Status("alive"))).isEqualTo("alive");
        assertThat(hs.statusReply(true)).isEqualTo(new Status("true"));
        hs.receive(new Challenge(OTP25, 7, 17, "b1@localhost"));

        InitiatorHandshake refused = v6();
        refused.sendName();
        refused.receive(new Status("alive"));
        assertThat(refused.statusReply(false)).isEqualTo(new Status("false"));
        assertThatThrownBy(() -> refused.receive(new Challenge(OTP25, 7, 17, "b1@localhost")))
                .isInstanceOf(HandshakeException.class);
    }

    @Test
    void okSimultaneousContinuesNokAndNotAllowedEnd() {
        InitiatorHandshake ok = v6();
        ok.sendName();
        assertThat(ok.receive(new Status("ok_simultaneous"))).isEqualTo("ok_simultaneous");
        ok.receive(new Challenge(OTP25, 7, 17, "b1@localhost"));
        for (String refusal : new String[] {"nok", "not_allowed"}) {
            InitiatorHandshake hs = v6();
            hs.sendName();
            assertThat(hs.receive(new Status(refusal))).isEqualTo(refusal);
            assertThatThrownBy(() -> hs.receive(new Challenge(OTP25, 7, 17, "b1@localhost")))
                    .isInstanceOf(HandshakeException.class);
        }
    }

    @Test
    void rejectsUnknownAndNamedStatuses() {
        InitiatorHandshake hs = v6();
        hs.sendName();
        assertThatThrownBy(() -> hs.receive(new Status("weird"))).isInstanceOf(HandshakeException.class)
                .hasMessageContaining("'weird'");
        InitiatorHandshake named = v6();
        named.sendName();
        assertThatThrownBy(() -> named.receive(new Status("named:xyz"))).isInstanceOf(HandshakeException.class)
                .extracting(e -> ((HandshakeException) e).reason()).isEqualTo(HandshakeException.DYNAMIC_NAME);
    }

    @Test
    void rejectsChallengeFromAnotherNode() {
        InitiatorHandshake hs = v6();
        hs.sendName();
        hs.receive(new Status("ok"));
        assertThatThrownBy(() -> hs.receive(new Challenge(OTP25, 7, 17, "b2@localhost")))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("dialled b1@localhost but the challenge is from 'b2@localhost'")
                .extracting(e -> ((HandshakeException) e).reason()).isEqualTo(HandshakeException.NAME_MISMATCH);
    }

    @Test
    void rejectsChallengeLackingTheFlagsTheGatewayNeeds() {
        InitiatorHandshake hs = v6();
        hs.sendName();
        hs.receive(new Status("ok"));
        assertThatThrownBy(() -> hs.receive(new Challenge(DistFlags.MANDATORY_23, 7, 17, "b1@localhost")))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("HANDSHAKE_23");
    }

    @Test
    void rejectsChallengeAckWithWrongDigest() {
        InitiatorHandshake hs = v6();
        hs.sendName();
        hs.receive(new Status("ok"));
        hs.receive(new Challenge(OTP25, 7, 17, "b1@localhost"));
        hs.reply(0, 0);
        assertThatThrownBy(() -> hs.receive(new ChallengeAck(Cookie.of("wrong").digest(99))))
                .isInstanceOf(HandshakeException.class)
                .extracting(e -> ((HandshakeException) e).reason()).isEqualTo(HandshakeException.BAD_COOKIE);
    }

    @Test
    void rejectsMessagesOutOfOrder() {
        InitiatorHandshake hs = v6();
        assertThatThrownBy(() -> hs.receive(new Status("ok"))).isInstanceOf(HandshakeException.class)
                .hasMessageContaining("out of order");
        InitiatorHandshake started = v6();
        started.sendName();
        assertThatThrownBy(() -> started.receive(new ChallengeAck(new byte[16]))).isInstanceOf(HandshakeException.class);
    }

    @Test
    void refusesVersionsOtherThan5And6() {
        assertThatThrownBy(() -> new InitiatorHandshake(COOKIE, B1, A1, OTP25, 1, 4, () -> 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
