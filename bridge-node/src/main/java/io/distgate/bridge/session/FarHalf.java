package io.distgate.bridge.session;

import io.distgate.bridge.dist.DistFlags;
import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.handshake.HandshakeCodec;
import io.distgate.bridge.handshake.HandshakeMessage;
import io.distgate.bridge.handshake.HandshakeMessage.Challenge;
import io.distgate.bridge.handshake.HandshakeMessage.ChallengeAck;
import io.distgate.bridge.handshake.HandshakeMessage.Status;
import io.distgate.bridge.handshake.InitiatorHandshake;
import io.distgate.bridge.netty.NettyTransport;
import io.distgate.bridge.session.SessionInfo.Role;
import io.distgate.bridge.session.SetupMessage.FarChallenge;
import io.distgate.bridge.session.SetupMessage.FarStatus;
import io.distgate.bridge.session.SetupMessage.FarUp;
import io.distgate.bridge.session.SetupMessage.NearAuthenticated;
import io.distgate.bridge.session.SetupMessage.Open;
import io.distgate.bridge.session.SetupMessage.Refuse;
import io.distgate.bridge.session.SetupMessage.StatusReply;
import io.distgate.bridge.site.NodeLocator;
import io.distgate.bridge.site.SiteSettings;
import io.distgate.bridge.site.UnknownNodeException;
import io.distgate.bridge.site.Visibility;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The half of a session that dials the node asked for, under the name, flags and creation of
 * the node that asked (D1), with this site's cookie. It reports the dialled node's status and
 * challenge to the near half, sends its challenge_reply only once the near node has proved its
 * own cookie, and reports up once the dialled node has proved its cookie.
 */
public final class FarHalf extends HandshakeHalf {

    /**
     * What a far half needs from the site it dials into.
     *
     * @param isLocal whether a node name belongs to this site and is not routed elsewhere
     */
    public record Context(SiteSettings settings, Predicate<NodeName> isLocal, NodeLocator locator,
            NettyTransport transport, GatewayListener events, LongSupplier challenges) {
    }

    private final Context context;
    private final Open open;
    private final String peerSite;
    private final Predicate<NodeName> isPeerNode;
    private final EventLoop loop;
    private InitiatorHandshake handshake;

    /**
     * @param peerSite   the site the near node belongs to
     * @param isPeerNode whether a node name belongs to that site: the far half only dials on
     *                   behalf of nodes of the site that asked
     * @param loop       the event loop the far leg runs on (the near leg's, within one process)
     */
    public FarHalf(Context context, Open open, String peerSite, Predicate<NodeName> isPeerNode, EventLoop loop) {
        super(context.settings(), context.events());
        this.context = context;
        this.open = open;
        this.peerSite = peerSite;
        this.isPeerNode = isPeerNode;
        this.loop = loop;
    }

    @Override
    public EventExecutor executor() {
        return loop;
    }

    /** Checks the request and starts finding the node; runs on {@link #executor()}. */
    public void start(SessionLink toNear) {
        if (prepare(toNear)) {
            arm("the EPMD answer for " + open.to());
            context.locator().locate(open.to()).whenComplete((address, error) -> loop.execute(() -> located(address, error)));
        }
    }

    /**
     * Checks the request and readies the handshake; false (and the near half told) when the
     * request is refused. Separate from dialling so the handshake can be driven on any channel.
     */
    boolean prepare(SessionLink toNear) {
        link = toNear;
        info = new SessionInfo(site.name(), peerSite, Role.FAR, open.to(), open.from());
        String refusal = refusal();
        if (refusal != null) {
            fail(refusalKind(), refusal, null, true);
            return false;
        }
        boolean published = site.visibility() == Visibility.PUBLISHED;
        long flags = DistFlags.relayable(open.flags(), published);
        if (open.version() == 5) {
            flags &= 0xFFFF_FFFFL;
        }
        handshake = new InitiatorHandshake(site.cookie(), open.to(), open.from(), flags, open.creation(),
                open.version(), context.challenges());
        return true;
    }

    private String refusal() {
        if (!context.isLocal().test(open.to())) {
            return open.to() + " is not a node of site " + site.name() + " (node patterns " + site.nodes() + ")";
        }
        if (!isPeerNode.test(open.from())) {
            return open.from() + " is not a node of site " + peerSite + ", which asked for it";
        }
        if (open.from().mode() != site.nameMode() || open.to().mode() != site.nameMode()) {
            return "site " + site.name() + " uses " + site.nameMode().configName() + ", the session is "
                    + open.from() + " -> " + open.to();
        }
        if (open.version() != 5 && open.version() != 6) {
            return "handshake version " + open.version() + " requested; only 5 and 6 exist";
        }
        return null;
    }

    private SetupFailure refusalKind() {
        if (open.from().mode() != site.nameMode() || open.to().mode() != site.nameMode()) {
            return SetupFailure.NAME_MODE;
        }
        return open.version() != 5 && open.version() != 6 ? SetupFailure.PROTOCOL : SetupFailure.NOT_ALLOWED;
    }

    private void located(InetSocketAddress address, Throwable error) {
        if (isFinished()) {
            return;
        }
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            fail(cause instanceof UnknownNodeException ? SetupFailure.UNKNOWN_NODE : SetupFailure.UNREACHABLE,
                    cause instanceof UnknownNodeException ? cause.getMessage()
                            : "cannot look up " + open.to() + ": " + cause, null, true);
            return;
        }
        arm("a connection to " + open.to() + " at " + address);
        new Bootstrap()
                .group(loop)
                .channel(context.transport().socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) site.setupTimeout().toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        LegPipeline.handshake(ch.pipeline(), FarHalf.this);
                    }
                })
                .connect(address)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        fail(SetupFailure.UNREACHABLE, "cannot connect to " + open.to() + " at " + address + ": "
                                + f.cause().getMessage(), null, true);
                    }
                });
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (isFinished()) {
            ctx.close();
            return;
        }
        write(handshake.sendName());
        arm("status from " + open.to());
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    protected HandshakeMessage decode(ByteBuf body) {
        return HandshakeCodec.decodeFromAcceptor(body);
    }

    @Override
    protected void handle(HandshakeMessage message) {
        if (message instanceof Status m) {
            onStatus(handshake.receive(m));
        } else if (message instanceof Challenge m) {
            Challenge checked = handshake.receive(m);
            link.send(new FarChallenge(checked.flags(), checked.creation()));
            arm("the challenge_reply of " + open.from());
        } else if (message instanceof ChallengeAck m) {
            handshake.receive(m);
            link.send(new FarUp());
            succeed();
            LegPipeline.toRelay(ctx, site, events.relayCounters(site.name(), peerSite));
            link.established(ctx.channel(), reason -> events.sessionClosed(info, reason));
        } else {
            handshake.receiveAny(message);
        }
    }

    private void onStatus(String status) {
        link.send(new FarStatus(status));
        switch (status) {
            case Status.ALIVE -> arm("the answer of " + open.from() + " to alive");
            case Status.NOK -> fail(SetupFailure.LOST_RACE, open.to() + " answered nok: its own connection attempt to "
                    + open.from() + " wins", null, false);
            case Status.NOT_ALLOWED -> fail(SetupFailure.NOT_ALLOWED, open.to() + " answered not_allowed", null, false);
            default -> arm("challenge from " + open.to());
        }
    }

    @Override
    public void onSetup(SetupMessage message) {
        if (isFinished()) {
            return;
        }
        if (message instanceof StatusReply m) {
            Status reply = handshake.statusReply(m.pending());
            if (m.pending()) {
                write(reply);
                arm("challenge from " + open.to());
            } else {
                fail(SetupFailure.LOST_RACE, open.from() + " answered false to alive", reply.text(), false);
            }
        } else if (message instanceof NearAuthenticated m) {
            for (HandshakeMessage out : handshake.reply(m.flagsHigh(), m.creation())) {
                write(out);
            }
            arm("challenge_ack from " + open.to());
        } else if (message instanceof Refuse m) {
            fail(m.failure(), "near side: " + m.detail(), null, false);
        } else {
            fail(SetupFailure.PROTOCOL, "near side sent " + message.getClass().getSimpleName() + " out of order",
                    null, true);
        }
    }

    @Override
    protected String waitingFor() {
        return handshake != null ? handshake.waitingFor() : "the far node";
    }

    @Override
    protected String nodeDescription() {
        return open.to().toString();
    }

    @Override
    protected String listenerName() {
        return "dial";
    }
}
