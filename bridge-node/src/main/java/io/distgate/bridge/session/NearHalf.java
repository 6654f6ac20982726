package io.distgate.bridge.session;

import io.distgate.bridge.dist.DistFlags;
import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.handshake.AcceptorHandshake;
import io.distgate.bridge.handshake.HandshakeCodec;
import io.distgate.bridge.handshake.HandshakeMessage;
import io.distgate.bridge.handshake.HandshakeMessage.ChallengeReply;
import io.distgate.bridge.handshake.HandshakeMessage.SendName;
import io.distgate.bridge.handshake.HandshakeMessage.Status;
import io.distgate.bridge.session.SessionInfo.Role;
import io.distgate.bridge.session.SetupMessage.FarChallenge;
import io.distgate.bridge.session.SetupMessage.FarStatus;
import io.distgate.bridge.session.SetupMessage.FarUp;
import io.distgate.bridge.session.SetupMessage.NearAuthenticated;
import io.distgate.bridge.session.SetupMessage.Open;
import io.distgate.bridge.session.SetupMessage.Refuse;
import io.distgate.bridge.session.SetupMessage.StatusReply;
import io.distgate.bridge.site.SiteSettings;
import io.distgate.bridge.site.Visibility;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.EventExecutor;
import java.util.function.LongSupplier;

/**
 * The half of a session that serves a node which dialled a proxy port: the gateway accepts the
 * handshake standing in for the remote node the port belongs to (D1). The far half's handshake
 * completes first (D2): this half forwards the far node's status, challenges with the far node's
 * creation and the flags both nodes share, and sends challenge_ack only after the far node has
 * proved its cookie. A node with a wrong cookie is refused before the far node sees a
 * connection come up.
 */
public final class NearHalf extends HandshakeHalf {

    /** The high 32 flag bits the gateway relays (known, never the atom cache or fragments). */
    private final long relayableHigh;
    private final SiteLocal local;
    private final NodeName target;
    private final FarSite farSite;
    private final AcceptorHandshake handshake;
    private long offered;
    private long farFlags;

    /**
     * Local knowledge a near half needs about its own site.
     *
     * @param settings the site the dialling node belongs to
     * @param isLocal  whether a node name belongs to this site and is not routed elsewhere
     */
    public record SiteLocal(SiteSettings settings, java.util.function.Predicate<NodeName> isLocal) {
    }

    public NearHalf(SiteLocal local, NodeName target, FarSite farSite, GatewayListener events, LongSupplier challenges) {
        super(local.settings(), events);
        this.local = local;
        this.target = target;
        this.farSite = farSite;
        this.handshake = new AcceptorHandshake(local.settings().cookie(), challenges);
        this.relayableHigh = DistFlags.relayable(-1L, local.settings().visibility() == Visibility.PUBLISHED) & ~0xFFFF_FFFFL;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm("send_name");
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    protected HandshakeMessage decode(ByteBuf body) {
        return HandshakeCodec.decodeFromInitiator(body);
    }

    @Override
    protected void handle(HandshakeMessage message) {
        if (message instanceof SendName m) {
            onSendName(m);
        } else if (message instanceof Status m) {
            onStatusReply(m);
        } else {
            handshake.receiveAny(message);
            if (message instanceof ChallengeReply) {
                onVerified();
            }
        }
    }

    private void onSendName(SendName message) {
        NodeName near = handshake.receive(message);
        info = new SessionInfo(site.name(), farSite.name(), Role.NEAR, near, target);
        if (!local.isLocal().test(near)) {
            fail(SetupFailure.NOT_ALLOWED, near + " is not a node of site " + site.name() + " (node patterns "
                    + site.nodes() + ")", Status.NOT_ALLOWED, false);
            return;
        }
        if (near.mode() != site.nameMode() || target.mode() != site.nameMode()) {
            fail(SetupFailure.NAME_MODE, "site " + site.name() + " uses " + site.nameMode().configName() + " but "
                    + (near.mode() != site.nameMode() ? near : target) + " is a " + (near.mode() != site.nameMode()
                    ? near.mode() : target.mode()).configName() + " name", Status.NOT_ALLOWED, false);
            return;
        }
        offered = DistFlags.relayable(handshake.peerFlags(), site.visibility() == Visibility.PUBLISHED);
        link = farSite.open(new Open(near, target, offered, handshake.peerCreation(), handshake.version()), this);
        arm("the far node's status");
    }

    private void onStatusReply(Status reply) {
        boolean pending = handshake.receive(reply);
        link.send(new StatusReply(pending));
        if (pending) {
            arm("the far node's challenge");
        } else {
            fail(SetupFailure.LOST_RACE, info.localNode() + " answered false to alive: it has no pending attempt",
                    null, false);
        }
    }

    private void onVerified() {
        long high = 0;
        long creation = 0;
        if (handshake.version() == 5) {
            high = (handshake.peerFlags() & relayableHigh) >>> 32;
            creation = handshake.peerCreation();
        }
        link.send(new NearAuthenticated(high, creation));
        arm("the far node's challenge_ack");
    }

    @Override
    public void onSetup(SetupMessage message) {
        if (isFinished()) {
            return;
        }
        if (message instanceof FarStatus m) {
            onFarStatus(m.status());
        } else if (message instanceof FarChallenge m) {
            onFarChallenge(m);
        } else if (message instanceof FarUp) {
            onFarUp();
        } else if (message instanceof Refuse m) {
            fail(m.failure(), "far side: " + m.detail(), null, false);
        } else {
            fail(SetupFailure.PROTOCOL, "far side sent " + message.getClass().getSimpleName() + " out of order", null, true);
        }
    }

    private void onFarStatus(String status) {
        switch (status) {
            case Status.OK, Status.OK_SIMULTANEOUS -> {
                write(handshake.status(status));
                arm("the far node's challenge");
            }
            case Status.ALIVE -> {
                write(handshake.status(status));
                arm("status reply");
            }
            case Status.NOK -> fail(SetupFailure.LOST_RACE, target + " answered nok: its own connection attempt to "
                    + info.localNode() + " wins", Status.NOK, false);
            case Status.NOT_ALLOWED -> fail(SetupFailure.NOT_ALLOWED, target + " answered not_allowed",
                    Status.NOT_ALLOWED, false);
            default -> fail(SetupFailure.PROTOCOL, "far side relayed status '" + NodeName.printable(status) + "'",
                    null, true);
        }
    }

    private void onFarChallenge(FarChallenge challenge) {
        farFlags = challenge.flags();
        long chosen = handshake.version() == 5
                ? (offered & farFlags & 0xFFFF_FFFFL) | (farFlags & relayableHigh)
                : offered & farFlags;
        String mismatch = flagMismatch(chosen);
        if (mismatch != null) {
            fail(SetupFailure.FLAGS, mismatch, null, true);
            return;
        }
        write(handshake.challenge(chosen, challenge.creation(), target));
        arm(handshake.waitingFor());
    }

    /** Both nodes will see {@code chosen}; each must find in it what its release requires. */
    private String flagMismatch(long chosen) {
        long nearNeeds = DistFlags.requiredBy(handshake.peerFlags()) & ~chosen;
        if (handshake.version() == 5) {
            nearNeeds &= 0xFFFF_FFFFL;
        }
        long farNeeds = DistFlags.requiredBy(farFlags) & ~chosen;
        if (nearNeeds != 0) {
            return info.localNode() + " (OTP " + DistFlags.minimumRelease(handshake.peerFlags()) + " or newer) requires "
                    + DistFlags.names(nearNeeds) + ", which " + target + " does not offer";
        }
        if (farNeeds != 0) {
            return target + " (OTP " + DistFlags.minimumRelease(farFlags) + " or newer) requires "
                    + DistFlags.names(farNeeds) + ", which " + info.localNode() + " does not offer";
        }
        return null;
    }

    private void onFarUp() {
        write(handshake.ack());
        succeed();
        LegPipeline.toRelay(ctx, site, events.relayCounters(site.name(), farSite.name()));
        link.established(ctx.channel(), reason -> events.sessionClosed(info, reason));
    }

    @Override
    public EventExecutor executor() {
        return ctx.executor();
    }

    @Override
    protected String waitingFor() {
        return handshake.waitingFor();
    }

    @Override
    protected String nodeDescription() {
        return info != null ? info.localNode().toString() : "node " + ctx.channel().remoteAddress();
    }

    @Override
    protected String listenerName() {
        return "proxy";
    }
}
