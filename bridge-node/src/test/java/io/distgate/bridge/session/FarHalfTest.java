package io.distgate.bridge.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.distgate.bridge.dist.Cookie;
import io.distgate.bridge.dist.DistFlags;
import io.distgate.bridge.dist.NameMode;
import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.handshake.HandshakeMessage;
import io.distgate.bridge.handshake.HandshakeMessage.Challenge;
import io.distgate.bridge.handshake.HandshakeMessage.ChallengeAck;
import io.distgate.bridge.handshake.HandshakeMessage.ChallengeReply;
import io.distgate.bridge.handshake.HandshakeMessage.SendName;
import io.distgate.bridge.handshake.HandshakeMessage.Status;
import io.distgate.bridge.relay.Relay;
import io.distgate.bridge.relay.RelayHandler;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The far half on an {@link EmbeddedChannel} standing for the dialled node b1: the bytes b1
 * sends are fed in, what the gateway sends b1 is read out, and a scripted near half plays the
 * other side of the session.
 */
class FarHalfTest {

    static final long OTP25 = 0x0000000d07df7fbdL;
    static final NodeName A1 = NodeName.parse("a1@localhost");
    static final NodeName B1 = NodeName.parse("b1@localhost");
    static final Cookie COOKIE_B = Cookie.of("cookie-b");
    static final long OUR_CHALLENGE = 777;
    static final long B1_CHALLENGE = 1234567890L;
    static final SiteSettings SITE_B = new SiteSettings("b", COOKIE_B, NameMode.SHORT, NodePatterns.of("b*"), 4369,
            Duration.ofSeconds(60), Duration.ofSeconds(7), Visibility.HIDDEN);

    private final ScriptedLink link = new ScriptedLink();
    private final RecordingListener events = new RecordingListener();

    private FarHalf startFar(EmbeddedChannel ch, Open open) {
        FarHalf.Context context = new FarHalf.Context(SITE_B, SITE_B.nodes()::matches, null, null, events, () -> OUR_CHALLENGE);
        FarHalf far = new FarHalf(context, open, "a", NodePatterns.of("a*")::matches, ch.eventLoop());
        if (far.prepare(link)) {
            LegPipeline.handshake(ch.pipeline(), far);
            ch.pipeline().fireChannelActive();
        }
        return far;
    }

    private static Open open() {
        return new Open(A1, B1, OTP25, 4321, 6);
    }

    @Test
    void sendsSendNameUnderTheDiallersNameWithOnlyRelayableFlags() {
        EmbeddedChannel b1 = new EmbeddedChannel();
        startFar(b1, open());
        assertThat(Frames.readFromInitiatorSide(b1))
                .isEqualTo(new SendName(6, DistFlags.relayable(OTP25, false), 4321, "a1@localhost"));
    }

    @Test
    void relaysStatusAndChallengeAndRepliesOnlyOnceTheNearNodeIsAuthenticated() {
        EmbeddedChannel b1 = new EmbeddedChannel();
        FarHalf far = startFar(b1, open());
        Frames.readFromInitiatorSide(b1);
        b1.writeInbound(Frames.of(new Status("ok"), new Challenge(OTP25, B1_CHALLENGE, 55, "b1@localhost")));
        assertThat(link.sent).containsExactly(new FarStatus("ok"), new FarChallenge(DistFlags.expand(OTP25), 55));
        assertThat((Object) b1.readOutbound()).as("nothing goes to b1 before the near node is authenticated").isNull();

        far.onSetup(new NearAuthenticated(0, 0));
        assertThat(Frames.readFromInitiatorSide(b1)).isEqualTo(new ChallengeReply(OUR_CHALLENGE, COOKIE_B.digest(B1_CHALLENGE)));
    }

    @Test
    void bytesAfterChallengeAckReachTheRelayWhateverTheSplit() {
        byte[] packet = Frames.passThroughPacket(2000);
        ByteBuf tail = Unpooled.buffer();
        tail.writeBytes(Frames.of(new ChallengeAck(COOKIE_B.digest(OUR_CHALLENGE))));
        tail.writeBytes(packet);
        tail.writeInt(0); // a tick: the gateway's own business, not relayed
        tail.writeBytes(packet);
        byte[] bytes = new byte[tail.readableBytes()];
        tail.readBytes(bytes);

        for (int split = 0; split <= bytes.length; split++) {
            ScriptedLink scripted = new ScriptedLink();
            EmbeddedChannel b1 = new EmbeddedChannel();
            FarHalf.Context context = new FarHalf.Context(SITE_B, SITE_B.nodes()::matches, null, null, events, () -> OUR_CHALLENGE);
            FarHalf far = new FarHalf(context, open(), "a", NodePatterns.of("a*")::matches, b1.eventLoop());
            assertThat(far.prepare(scripted)).isTrue();
            LegPipeline.handshake(b1.pipeline(), far);
            b1.pipeline().fireChannelActive();
            b1.writeInbound(Frames.of(new Status("ok"), new Challenge(OTP25, B1_CHALLENGE, 55, "b1@localhost")));
            far.onSetup(new NearAuthenticated(0, 0));

            b1.writeInbound(Unpooled.wrappedBuffer(bytes, 0, split));
            b1.writeInbound(Unpooled.wrappedBuffer(bytes, split, bytes.length - split));
            assertThat(scripted.sent).as("split at %d", split).endsWith(new FarUp());
            assertThat(scripted.leg).as("split at %d", split).isSameAs(b1);

            EmbeddedChannel peer = new EmbeddedChannel(new RelayHandler());
            Relay.join(b1, peer, reason -> { });
            b1.runPendingTasks();
            peer.runPendingTasks();
            ByteBuf relayed = Unpooled.buffer();
            for (Object out; (out = peer.readOutbound()) != null; ) {
                relayed.writeBytes((ByteBuf) out);
                ((ByteBuf) out).release();
            }
            byte[] expected = new byte[packet.length * 2];
            System.arraycopy(packet, 0, expected, 0, packet.length);
            System.arraycopy(packet, 0, expected, packet.length, packet.length);
            byte[] got = new byte[relayed.readableBytes()];
            relayed.readBytes(got);
            assertThat(got).as("split at %d", split).isEqualTo(expected);
            b1.finishAndReleaseAll();
            peer.finishAndReleaseAll();
        }
    }

    @Test
    void wrongChallengeAckEndsTheSessionAsBadCookie() {
        EmbeddedChannel b1 = new EmbeddedChannel();
        FarHalf far = startFar(b1, open());
        b1.writeInbound(Frames.of(new Status("ok"), new Challenge(OTP25, B1_CHALLENGE, 55, "b1@localhost")));
        far.onSetup(new NearAuthenticated(0, 0));
        b1.writeInbound(Frames.of(new ChallengeAck(Cookie.of("wrong").digest(OUR_CHALLENGE))));
        assertThat(b1.isOpen()).isFalse();
        assertThat(link.closedWith).isEqualTo(SetupFailure.BAD_COOKIE);
        assertThat(events.failures).containsExactly(SetupFailure.BAD_COOKIE);
        assertThat(link.sent).doesNotContain(new FarUp());
    }

    @Test
    void refusalFromTheNearSideClosesBeforeAnyReplyReachesTheNode() {
        EmbeddedChannel b1 = new EmbeddedChannel();
        FarHalf far = startFar(b1, open());
        Frames.readFromInitiatorSide(b1);
        b1.writeInbound(Frames.of(new Status("ok"), new Challenge(OTP25, B1_CHALLENGE, 55, "b1@localhost")));
        far.onSetup(new Refuse(SetupFailure.BAD_COOKIE, "a1's digest was wrong"));
        assertThat(b1.isOpen()).isFalse();
        assertThat((Object) b1.readOutbound()).as("no challenge_reply was sent to b1").isNull();
        assertThat(link.closedWith).as("the near side is not told back").isNull();
    }

    @Test
    void nokIsRelayedAndEndsTheLeg() {
        EmbeddedChannel b1 = new EmbeddedChannel();
        startFar(b1, open());
        b1.writeInbound(Frames.of(new Status("nok")));
        assertThat(link.sent).containsExactly(new FarStatus("nok"));
        assertThat(b1.isOpen()).isFalse();
        assertThat(events.failures).containsExactly(SetupFailure.LOST_RACE);
    }

    @Test
    void aliveWaitsForTheNearNodesAnswer() {
        EmbeddedChannel b1 = new EmbeddedChannel();
        FarHalf far = startFar(b1, open());
        Frames.readFromInitiatorSide(b1);
        b1.writeInbound(Frames.of(new Status("alive")));
        assertThat(link.sent).containsExactly(new FarStatus("alive"));
        far.onSetup(new StatusReply(true));
        assertThat(Frames.readFromInitiatorSide(b1)).isEqualTo(new Status("true"));
    }

    @Test
    void answersFalseToAliveAndCloses() {
        EmbeddedChannel b1 = new EmbeddedChannel();
        FarHalf far = startFar(b1, open());
        Frames.readFromInitiatorSide(b1);
        b1.writeInbound(Frames.of(new Status("alive")));
        far.onSetup(new StatusReply(false));
        assertThat(Frames.readFromInitiatorSide(b1)).isEqualTo(new Status("false"));
        assertThat(b1.isOpen()).isFalse();
    }

    @Test
    void refusesToDialOnBehalfOfANodeOfItsOwnSite() {
        EmbeddedChannel b1 = new EmbeddedChannel();
        startFar(b1, new Open(NodeName.parse("b2@localhost"), B1, OTP25, 1, 6));
        assertThat(link.closedWith).isEqualTo(SetupFailure.NOT_ALLOWED);
        assertThat(link.detail).contains("b2@localhost is not a node of site a");
    }

    @Test
    void refusesToDialANodeOfAnotherSite() {
        startFar(new EmbeddedChannel(), new Open(A1, NodeName.parse("c1@localhost"), OTP25, 1, 6));
        assertThat(link.closedWith).isEqualTo(SetupFailure.NOT_ALLOWED);
        assertThat(link.detail).contains("c1@localhost is not a node of site b");
    }

    @Test
    void refusesLongNamesInAShortNameSite() {
        startFar(new EmbeddedChannel(), new Open(NodeName.parse("a1@host.example"), NodeName.parse("b1@host.example"),
                OTP25, 1, 6));
        assertThat(link.closedWith).isEqualTo(SetupFailure.NAME_MODE);
        assertThat(link.detail).contains("site b uses shortnames");
    }

    @Test
    void silentNodeHitsTheStepDeadline() {
        EmbeddedChannel b1 = new EmbeddedChannel();
        b1.freezeTime();
        startFar(b1, open());
        b1.advanceTimeBy(6_900, TimeUnit.MILLISECONDS);
        b1.runScheduledPendingTasks();
        assertThat(b1.isOpen()).isTrue();
        b1.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        b1.runScheduledPendingTasks();
        assertThat(b1.isOpen()).isFalse();
        assertThat(link.closedWith).isEqualTo(SetupFailure.TIMEOUT);
        assertThat(link.detail).contains("no status from b1@localhost within 7000 ms");
    }

    @Test
    void challengeFromAnotherNodeIsRefused() {
        EmbeddedChannel b1 = new EmbeddedChannel();
        startFar(b1, open());
        b1.writeInbound(Frames.of(new Status("ok"), new Challenge(OTP25, B1_CHALLENGE, 55, "b2@localhost")));
        assertThat(b1.isOpen()).isFalse();
        assertThat(link.closedWith).isEqualTo(SetupFailure.PROTOCOL);
        assertThat(link.detail).contains("dialled b1@localhost but the challenge is from 'b2@localhost'");
    }

    @Test
    void version5MirrorsTheDiallerAndSendsTheComplementAfterAuthentication() {
        EmbeddedChannel b1 = new EmbeddedChannel();
        FarHalf far = startFar(b1, new Open(A1, B1, OTP25 & 0xFFFF_FFFFL, 0, 5));
        assertThat(Frames.readFromInitiatorSide(b1))
                .isEqualTo(new SendName(5, DistFlags.relayable(OTP25, false) & 0xFFFF_FFFFL, 0, "a1@localhost"));
        b1.writeInbound(Frames.of(new Status("ok"), new Challenge(OTP25, B1_CHALLENGE, 55, "b1@localhost")));
        far.onSetup(new NearAuthenticated(OTP25 >>> 32, 4321));
        assertThat(Frames.readFromInitiatorSide(b1)).isEqualTo(new HandshakeMessage.Complement(OTP25 >>> 32, 4321));
        assertThat(Frames.readFromInitiatorSide(b1)).isEqualTo(new ChallengeReply(OUR_CHALLENGE, COOKIE_B.digest(B1_CHALLENGE)));
    }
}
