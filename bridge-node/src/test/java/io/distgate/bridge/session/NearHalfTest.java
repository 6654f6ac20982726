package io.distgate.bridge.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.distgate.bridge.dist.Cookie;
import io.distgate.bridge.dist.DistFlags;
import io.distgate.bridge.dist.NameMode;
import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.handshake.HandshakeMessage.Challenge;
import io.distgate.bridge.handshake.HandshakeMessage.ChallengeAck;
import io.distgate.bridge.handshake.HandshakeMessage.ChallengeReply;
import io.distgate.bridge.handshake.HandshakeMessage.Complement;
import io.distgate.bridge.handshake.HandshakeMessage.SendName;
import io.distgate.bridge.handshake.HandshakeMessage.Status;
import io.distgate.bridge.session.SetupMessage.FarChallenge;
import io.distgate.bridge.session.SetupMessage.FarStatus;
import io.distgate.bridge.session.SetupMessage.FarUp;
import io.distgate.bridge.session.SetupMessage.NearAuthenticated;
import io.distgate.bridge.session.SetupMessage.Open;
import io.distgate.bridge.session.SetupMessage.Refuse;
import io.distgate.bridge.session.SetupMessage.StatusReply;
import io.distgate.bridge.site.NodePatterns;
import io.distgate.bridge.site.SiteSettings;
import io.distgate.bridge.site.Visibility;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The near half on an {@link EmbeddedChannel} standing for the dialling node a1, which dialled
 * the proxy port of b1; a scripted far site plays the far half.
 */
class NearHalfTest {

    static final long OTP25 = 0x0000000d07df7fbdL;
    static final NodeName B1 = NodeName.parse("b1@localhost");
    static final Cookie COOKIE_A = Cookie.of("cookie-a");
    static final long OUR_CHALLENGE = 424242;
    static final SiteSettings SITE_A = new SiteSettings("a", COOKIE_A, NameMode.SHORT, NodePatterns.of("a*"), 4369,
            Duration.ofSeconds(60), Duration.ofSeconds(7), Visibility.HIDDEN);

    private final ScriptedLink link = new ScriptedLink();
    private final RecordingListener events = new RecordingListener();
    private Open opened;

    private final FarSite farSite = new FarSite() {
        @Override
        public String name() {
            return "b";
        }

        @Override
        public CompletableFuture<Availability> lookup(NodeName node) {
            return CompletableFuture.completedFuture(Availability.FOUND);
        }

        @Override
        public SessionLink open(Open open, SetupReceiver near) {
            opened = open;
            return link;
        }
    };

    private NearHalf start(EmbeddedChannel a1) {
        NearHalf near = new NearHalf(new NearHalf.SiteLocal(SITE_A, SITE_A.nodes()::matches), B1, farSite, events,
                () -> OUR_CHALLENGE);
        LegPipeline.handshake(a1.pipeline(), near);
        a1.pipeline().fireChannelActive();
        return near;
    }

    /** Takes a1 through to the challenge; returns the challenge a1 received. */
    private Challenge toChallenge(EmbeddedChannel a1, NearHalf near, long farFlags) {
        a1.writeInbound(Frames.of(new SendName(6, OTP25, 4321, "a1@localhost")));
        near.onSetup(new FarStatus("ok"));
        assertThat(Frames.readFromAcceptorSide(a1)).isEqualTo(new Status("ok"));
        near.onSetup(new FarChallenge(farFlags, 55));
        return (Challenge) Frames.readFromAcceptorSide(a1);
    }

    @Test
    void opensTheFarSideWithTheDiallersNameCreationAndRelayableFlags() {
        EmbeddedChannel a1 = new EmbeddedChannel();
        start(a1);
        a1.writeInbound(Frames.of(new SendName(6, OTP25, 4321, "a1@localhost")));
        assertThat(opened).isEqualTo(new Open(NodeName.parse("a1@localhost"), B1, DistFlags.relayable(OTP25, false), 4321, 6));
        assertThat((Object) a1.readOutbound()).as("no status before the far node answers").isNull();
    }

    @Test
    void readsTheSendNameWhateverTheSplit() {
        ByteBuf frame = Frames.of(new SendName(6, OTP25, 4321, "a1@localhost"));
        byte[] bytes = new byte[frame.readableBytes()];
        frame.readBytes(bytes);
        for (int split = 0; split <= bytes.length; split++) {
            opened = null;
            EmbeddedChannel a1 = new EmbeddedChannel();
            start(a1);
            a1.writeInbound(Unpooled.wrappedBuffer(bytes, 0, split));
            a1.writeInbound(Unpooled.wrappedBuffer(bytes, split, bytes.length - split));
            assertThat(opened).as("split at %d", split).isNotNull();
            assertThat(opened.from()).isEqualTo(NodeName.parse("a1@localhost"));
        }
    }

    @Test
    void challengesAsTheFarNodeWithItsCreationAndTheSharedFlags() {
        EmbeddedChannel a1 = new EmbeddedChannel();
        NearHalf near = start(a1);
        long farFlags = DistFlags.expand(OTP25) & ~DistFlags.SPAWN;
        Challenge challenge = toChallenge(a1, near, farFlags);
        assertThat(challenge.name()).isEqualTo("b1@localhost");
        assertThat(challenge.creation()).isEqualTo(55);
        assertThat(challenge.challenge()).isEqualTo(OUR_CHALLENGE);
        assertThat(challenge.flags()).isEqualTo(DistFlags.relayable(OTP25, false) & farFlags);
        assertThat(challenge.flags() & (DistFlags.DIST_HDR_ATOM_CACHE | DistFlags.FRAGMENTS | DistFlags.PUBLISHED)).isZero();
    }

    @Test
    void acknowledgesOnlyAfterTheFarNodeIsUp() {
        EmbeddedChannel a1 = new EmbeddedChannel();
        NearHalf near = start(a1);
        toChallenge(a1, near, OTP25);
        a1.writeInbound(Frames.of(new ChallengeReply(99, COOKIE_A.digest(OUR_CHALLENGE))));
        assertThat(link.sent).containsExactly(new NearAuthenticated(0, 0));
        assertThat((Object) a1.readOutbound()).as("no challenge_ack before the far node proved its cookie").isNull();

        near.onSetup(new FarUp());
        assertThat(Frames.readFromAcceptorSide(a1)).isEqualTo(new ChallengeAck(COOKIE_A.digest(99)));
        assertThat(link.leg).isSameAs(a1);
        assertThat(events.up).hasSize(1);
        assertThat(a1.pipeline().names()).contains("liveness", "packets", "relay").doesNotContain("frame", "handshake");
    }

    @Test
    void wrongCookieIsRefusedAndTheFarSideIsTold() {
        EmbeddedChannel a1 = new EmbeddedChannel();
        NearHalf near = start(a1);
        toChallenge(a1, near, OTP25);
        a1.writeInbound(Frames.of(new ChallengeReply(99, Cookie.of("not-a").digest(OUR_CHALLENGE))));
        assertThat(a1.isOpen()).isFalse();
        assertThat(link.closedWith).isEqualTo(SetupFailure.BAD_COOKIE);
        assertThat(link.sent).doesNotContain(new NearAuthenticated(0, 0));
        assertThat(events.failures).containsExactly(SetupFailure.BAD_COOKIE);
    }

    @Test
    void nodeOfAnotherSiteIsNotAllowed() {
        EmbeddedChannel a1 = new EmbeddedChannel();
        start(a1);
        a1.writeInbound(Frames.of(new SendName(6, OTP25, 1, "b7@localhost")));
        assertThat(Frames.readFromAcceptorSide(a1)).isEqualTo(new Status("not_allowed"));
        assertThat(a1.isOpen()).isFalse();
        assertThat(opened).isNull();
        assertThat(events.failures).containsExactly(SetupFailure.NOT_ALLOWED);
    }

    @Test
    void longNameInAShortNameSiteIsRefusedWithAClearReason() {
        EmbeddedChannel a1 = new EmbeddedChannel();
        start(a1);
        a1.writeInbound(Frames.of(new SendName(6, OTP25, 1, "a1@host.example.com")));
        assertThat(Frames.readFromAcceptorSide(a1)).isEqualTo(new Status("not_allowed"));
        assertThat(events.failures).containsExactly(SetupFailure.NAME_MODE);
    }

    @Test
    void farRefusalClosesWithoutAStatus() {
        EmbeddedChannel a1 = new EmbeddedChannel();
        NearHalf near = start(a1);
        a1.writeInbound(Frames.of(new SendName(6, OTP25, 4321, "a1@localhost")));
        near.onSetup(new Refuse(SetupFailure.UNKNOWN_NODE, "b1 is not registered"));
        assertThat(a1.isOpen()).isFalse();
        assertThat((Object) a1.readOutbound()).isNull();
        assertThat(link.closedWith).as("the far side is not told back").isNull();
        assertThat(events.failures).containsExactly(SetupFailure.UNKNOWN_NODE);
    }

    @Test
    void nokFromTheFarNodeIsRelayed() {
        EmbeddedChannel a1 = new EmbeddedChannel();
        NearHalf near = start(a1);
        a1.writeInbound(Frames.of(new SendName(6, OTP25, 4321, "a1@localhost")));
        near.onSetup(new FarStatus("nok"));
        assertThat(Frames.readFromAcceptorSide(a1)).isEqualTo(new Status("nok"));
        assertThat(a1.isOpen()).isFalse();
        assertThat(events.failures).containsExactly(SetupFailure.LOST_RACE);
    }

    @Test
    void aliveIsRelayedAndTheAnswerGoesBack() {
        EmbeddedChannel a1 = new EmbeddedChannel();
        NearHalf near = start(a1);
        a1.writeInbound(Frames.of(new SendName(6, OTP25, 4321, "a1@localhost")));
        near.onSetup(new FarStatus("alive"));
        assertThat(Frames.readFromAcceptorSide(a1)).isEqualTo(new Status("alive"));
        a1.writeInbound(Frames.of(new Status("true")));
        assertThat(link.sent).containsExactly(new StatusReply(true));
        near.onSetup(new FarChallenge(OTP25, 55));
        assertThat(Frames.readFromAcceptorSide(a1)).isInstanceOf(Challenge.class);
    }

    @Test
    void pairWhoseFlagsOneReleaseRequiresIsRefused() {
        EmbeddedChannel a1 = new EmbeddedChannel();
        NearHalf near = start(a1);
        // a1 offers ALTACT_SIG, so it is OTP 28 or newer and requires V4_NC; the far node lacks it.
        a1.writeInbound(Frames.of(new SendName(6, OTP25 | DistFlags.ALTACT_SIG, 4321, "a1@localhost")));
        near.onSetup(new FarStatus("ok"));
        Frames.readFromAcceptorSide(a1);
        near.onSetup(new FarChallenge(DistFlags.expand(OTP25) & ~DistFlags.V4_NC, 55));
        assertThat(a1.isOpen()).isFalse();
        assertThat(link.closedWith).isEqualTo(SetupFailure.FLAGS);
        assertThat(link.detail).contains("(OTP 28 or newer) requires [V4_NC]");
    }

    @Test
    void version5DiallerSendsItsComplementToTheFarSideAfterAuthentication() {
        EmbeddedChannel a1 = new EmbeddedChannel();
        NearHalf near = start(a1);
        a1.writeInbound(Frames.of(new SendName(5, OTP25 & 0xFFFF_FFFFL, 0, "a1@localhost")));
        assertThat(opened.version()).isEqualTo(5);
        assertThat(opened.flags() >>> 32).isZero();
        near.onSetup(new FarStatus("ok"));
        Frames.readFromAcceptorSide(a1);
        near.onSetup(new FarChallenge(DistFlags.expand(OTP25), 55));
        Challenge challenge = (Challenge) Frames.readFromAcceptorSide(a1);
        assertThat(challenge.flags() >>> 32).as("far node's high flags offered").isEqualTo(DistFlags.relayable(OTP25, false) >>> 32);
        a1.writeInbound(Frames.of(new Complement(OTP25 >>> 32, 4321), new ChallengeReply(7, COOKIE_A.digest(OUR_CHALLENGE))));
        assertThat(link.sent).containsExactly(new NearAuthenticated(DistFlags.relayable(OTP25, false) >>> 32, 4321));
    }

    @Test
    void garbageBeforeTheSendNameIsRefusedAndCounted() {
        EmbeddedChannel a1 = new EmbeddedChannel();
        start(a1);
        a1.writeInbound(Unpooled.wrappedBuffer("\u0000\u0005hello".getBytes()));
        assertThat(a1.isOpen()).isFalse();
        assertThat(events.refusals).singleElement().asString().startsWith("proxy:protocol_error:unknown handshake message tag 0x68");
    }

    @Test
    void oversizedHandshakeFrameIsRefusedWithoutBuffering() {
        EmbeddedChannel a1 = new EmbeddedChannel();
        start(a1);
        a1.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, (byte) 0xff, 'N'}));
        assertThat(a1.isOpen()).isFalse();
        assertThat(events.refusals).singleElement().asString().contains("longer than the 1024 bytes");
    }

    @Test
    void silentDiallerHitsTheStepDeadline() {
        EmbeddedChannel a1 = new EmbeddedChannel();
        a1.freezeTime();
        start(a1);
        a1.advanceTimeBy(7_100, TimeUnit.MILLISECONDS);
        a1.runScheduledPendingTasks();
        assertThat(a1.isOpen()).isFalse();
        assertThat(events.refusals).singleElement().asString().startsWith("proxy:timeout:no send_name within 7000 ms");
    }
}
