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
import org.junit.jupiter.api.Test;

class AcceptorHandshakeTest {

    static final long OTP25 = 0x0000000d07df7fbdL;
    static final Cookie COOKIE = Cookie.of("cookie-a");
    static final NodeName B1 = NodeName.parse("b1@localhost");

    private final AcceptorHandshake hs = new AcceptorHandshake(COOKIE, () -> 1234567890L);

    @Test
    void completesVersion6Handshake() {
        assertThat(hs.receive(new SendName(6, OTP25, 77, "a1@localhost"))).isEqualTo(NodeName.parse("a1@localhost"));
        assertThat(hs.peerCreation()).isEqualTo(77);
        assertThat(hs.status(Status.OK)).isEqualTo(new Status("ok"));
        Challenge challenge = hs.challenge(0xabcL, 9, B1);
        assertThat(challenge).isEqualTo(new Challenge(0xabcL, 1234567890L, 9, "b1@localhost"));
        hs.receive(new ChallengeReply(555, COOKIE.digest(1234567890L)));
        ChallengeAck ack = hs.ack();
        assertThat(ack.digest()).isEqualTo(COOKIE.digest(555));
        assertThat(hs.isDone()).isTrue();
    }

    @Test
    void completesVersion5HandshakeWithComplement() {
        hs.receive(new SendName(5, OTP25 & 0xFFFF_FFFFL, 0, "a1@localhost"));
        assertThat(hs.peerFlags() & ~0xFFFF_FFFFL).isZero();
        hs.status(Status.OK);
        hs.challenge(OTP25, 9, B1);
        assertThat(hs.waitingFor()).isEqualTo("complement");
        hs.receive(new Complement(OTP25 >>> 32, 4242));
        assertThat(hs.peerFlags()).isEqualTo(DistFlags.expand(OTP25));
        assertThat(hs.peerCreation()).isEqualTo(4242);
        hs.receive(new ChallengeReply(1, COOKIE.digest(1234567890L)));
        hs.ack();
        assertThat(hs.isDone()).isTrue();
    }

    @Test
    void continuesAfterAliveWhenTheDiallerIsPending() {
        hs.receive(new SendName(6, OTP25, 77, "a1@localhost"));
        assertThat(hs.status(Status.ALIVE)).isEqualTo(new Status("alive"));
        assertThat(hs.receive(new Status("true"))).isTrue();
        hs.challenge(OTP25, 1, B1);
    }

    @Test
    void stopsAfterAliveWhenTheDiallerAnswersFalse() {
        hs.receive(new SendName(6, OTP25, 77, "a1@localhost"));
        hs.status(Status.ALIVE);
        assertThat(hs.receive(new Status("false"))).isFalse();
        assertThatThrownBy(() -> hs.challenge(OTP25, 1, B1)).isInstanceOf(HandshakeException.class);
    }

    @Test
    void rejectsAStatusReplyThatIsNeitherTrueNorFalse() {
        hs.receive(new SendName(6, OTP25, 77, "a1@localhost"));
        hs.status(Status.ALIVE);
        assertThatThrownBy(() -> hs.receive(new Status("maybe"))).isInstanceOf(HandshakeException.class)
                .hasMessageContaining("expected true or false");
    }

    @Test
    void okSimultaneousContinuesAndNokOrNotAllowedEnd() {
        hs.receive(new SendName(6, OTP25, 77, "a1@localhost"));
        hs.status(Status.OK_SIMULTANEOUS);
        hs.challenge(OTP25, 1, B1);
        for (String refusal : new String[] {Status.NOK, Status.NOT_ALLOWED}) {
            AcceptorHandshake other = new AcceptorHandshake(COOKIE, () -> 1);
            other.receive(new SendName(6, OTP25, 77, "a1@localhost"));
            assertThat(other.status(refusal)).isEqualTo(new Status(refusal));
            assertThatThrownBy(() -> other.challenge(OTP25, 1, B1)).isInstanceOf(HandshakeException.class);
        }
    }

    @Test
    void rejectsChallengeReplyWithWrongDigest() {
        hs.receive(new SendName(6, OTP25, 77, "a1@localhost"));
        hs.status(Status.OK);
        hs.challenge(OTP25, 1, B1);
        assertThatThrownBy(() -> hs.receive(new ChallengeReply(1, Cookie.of("cookie-b").digest(1234567890L))))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("a1@localhost answered the challenge with a wrong digest")
                .satisfies(e -> {
                    assertThat(((HandshakeException) e).reason()).isEqualTo(HandshakeException.BAD_COOKIE);
                    assertThat(((HandshakeException) e).statusToSend()).isNull();
                });
    }

    @Test
    void refusesDynamicNamesWithNotAllowed() {
        assertThatThrownBy(() -> hs.receive(new SendName(6, OTP25 | DistFlags.NAME_ME, 0, "localhost")))
                .isInstanceOf(HandshakeException.class)
                .satisfies(e -> {
                    assertThat(((HandshakeException) e).reason()).isEqualTo(HandshakeException.DYNAMIC_NAME);
                    assertThat(((HandshakeException) e).statusToSend()).isEqualTo(Status.NOT_ALLOWED);
                });
    }

    @Test
    void refusesNodesWithoutVersion6HandshakeWithNotAllowed() {
        assertThatThrownBy(() -> hs.receive(new SendName(5, DistFlags.MANDATORY_23, 0, "old@localhost")))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("HANDSHAKE_23").hasMessageContaining("OTP 22 or older")
                .satisfies(e -> assertThat(((HandshakeException) e).statusToSend()).isEqualTo(Status.NOT_ALLOWED));
    }

    @Test
    void closesWithoutStatusOnNamesThatAreNotNodeNames() {
        assertThatThrownBy(() -> hs.receive(new SendName(6, OTP25, 1, "no-at-sign")))
                .isInstanceOf(HandshakeException.class)
                .satisfies(e -> {
                    assertThat(((HandshakeException) e).reason()).isEqualTo(HandshakeException.BAD_NAME);
                    assertThat(((HandshakeException) e).statusToSend()).isNull();
                });
    }

    @Test
    void rejectsMessagesOutOfOrder() {
        assertThatThrownBy(() -> hs.receive(new ChallengeReply(1, new byte[16]))).isInstanceOf(HandshakeException.class)
                .hasMessageContaining("out of order");
        AcceptorHandshake v6 = new AcceptorHandshake(COOKIE, () -> 1);
        v6.receive(new SendName(6, OTP25, 77, "a1@localhost"));
        v6.status(Status.OK);
        v6.challenge(OTP25, 1, B1);
        assertThatThrownBy(() -> v6.receiveAny(new Complement(0, 0))).isInstanceOf(HandshakeException.class)
                .hasMessageContaining("complement out of order");
        assertThatThrownBy(() -> v6.receiveAny(new Status("ok"))).isInstanceOf(HandshakeException.class)
                .hasMessageContaining("unexpected Status");
    }

    @Test
    void aSecondSendNameIsOutOfOrder() {
        hs.receive(new SendName(6, OTP25, 77, "a1@localhost"));
        assertThatThrownBy(() -> hs.receive(new SendName(6, OTP25, 77, "a1@localhost")))
                .isInstanceOf(HandshakeException.class).hasMessageContaining("out of order");
    }
}
