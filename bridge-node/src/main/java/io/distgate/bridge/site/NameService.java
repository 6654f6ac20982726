package io.distgate.bridge.site;

import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.epmd.Alive2Request;
import io.distgate.bridge.epmd.EpmdCodec;
import io.distgate.bridge.epmd.EpmdException;
import io.distgate.bridge.epmd.EpmdRequest;
import io.distgate.bridge.epmd.EpmdRequestDecoder;
import io.distgate.bridge.epmd.NamesRequest;
import io.distgate.bridge.epmd.NamesResponse;
import io.distgate.bridge.epmd.NodeEntry;
import io.distgate.bridge.epmd.Port2Response;
import io.distgate.bridge.epmd.PortPlease2Request;
import io.distgate.bridge.relay.RelayFailure;
import io.distgate.bridge.session.FarSite;
import io.distgate.bridge.session.FarSite.Availability;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The EPMD-compatible name service nodes of a site ask about remote nodes (D5, through
 * {@code distgate_epmd}). PORT_PLEASE2 takes a full node name ({@code b1@hostB1}), or a bare
 * alive name when exactly one remote node the gateway knows has it; the answer is the port of
 * the proxy listener for that node. NAMES lists the remote nodes with open proxy listeners.
 *
 * <p>Result codes of PORT2_RESP (docs/name-service.md): 0 found; {@link #NOT_ROUTED} the gateway
 * does not route the name (the node falls back to its own EPMD); {@link #UNAVAILABLE} the name
 * is routed but the node is not available at its site (the node must not fall back).
 */
final class NameService {

    static final int NOT_ROUTED = 1;
    static final int UNAVAILABLE = 2;
    /** The dist versions a proxy port speaks: the gateway accepts both handshakes. */
    static final int HIGHEST_VERSION = 6;
    static final int LOWEST_VERSION = 5;
    /** EPMD's node type for a normal node; OTP reads and ignores it. */
    static final int NODE_TYPE_NORMAL = 77;
    /** Unauthenticated phase deadline: a client must send its request within this (habit 4). */
    static final long REQUEST_DEADLINE_MILLIS = 5_000;

    private final Site site;
    private final ProxyPorts proxies;
    private Channel server;

    NameService(Site site, ProxyPorts proxies) {
        this.site = site;
        this.proxies = proxies;
    }

    ChannelFuture bind(InetSocketAddress address) {
        ChannelFuture bind = new ServerBootstrap()
                .group(site.group())
                .channel(site.transport().serverChannel())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("epmd", new EpmdRequestDecoder());
                        ch.pipeline().addLast("name-service", new Handler());
                    }
                })
                .bind(address);
        server = bind.channel();
        return bind;
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    void close() {
        if (server != null) {
            server.close();
        }
    }

    /** The answer to PORT_PLEASE2 for {@code name}. */
    CompletableFuture<Port2Response> portPlease(String name) {
        if (name.indexOf('@') < 0) {
            return CompletableFuture.completedFuture(bareName(name));
        }
        NodeName node;
        try {
            node = NodeName.parse(name);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Port2Response.NotFound(NOT_ROUTED));
        }
        FarSite far = site.router().route(node);
        if (far == null) {
            return CompletableFuture.completedFuture(new Port2Response.NotFound(NOT_ROUTED));
        }
        if (node.mode() != site.settings().nameMode()) {
            // Erlang cannot connect short and long names; say so now rather than fail a handshake later.
            site.events().connectionRefused(site.name(), "name_service", "name_mode_mismatch", "site " + site.name()
                    + " uses " + site.settings().nameMode().configName() + " but " + node + " is a "
                    + node.mode().configName() + " name; a node of another name mode asked for it");
            return CompletableFuture.completedFuture(new Port2Response.NotFound(UNAVAILABLE));
        }
        return far.lookup(node).thenCompose(availability -> availability == Availability.FOUND
                ? proxies.portFor(node, far).thenApply(port -> found(node, port))
                : CompletableFuture.completedFuture(new Port2Response.NotFound(UNAVAILABLE)));
    }

    private Port2Response bareName(String alive) {
        List<Map.Entry<NodeName, Integer>> matches = proxies.known().stream()
                .filter(e -> e.getKey().alive().equals(alive)).toList();
        return matches.size() == 1 ? found(matches.get(0).getKey(), matches.get(0).getValue())
                : new Port2Response.NotFound(NOT_ROUTED);
    }

    private static Port2Response found(NodeName node, int port) {
        return new Port2Response.Found(
                new NodeEntry(port, NODE_TYPE_NORMAL, 0, HIGHEST_VERSION, LOWEST_VERSION, node.toString(),
                        new byte[0]));
    }

    private NamesResponse names() {
        return new NamesResponse(port(), proxies.known().stream()
                .map(e -> new NamesResponse.Entry(e.getKey().toString(), e.getValue())).toList());
    }

    /** One request per connection, as EPMD: answer, then close. */
    private final class Handler extends SimpleChannelInboundHandler<EpmdRequest> {

        private ScheduledFuture<?> deadline;
        private boolean answered;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            deadline = ctx.executor().schedule(() -> refuse(ctx, "timeout",
                    "no complete request within " + REQUEST_DEADLINE_MILLIS + " ms"),
                    REQUEST_DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            deadline.cancel(false);
            ctx.fireChannelInactive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, EpmdRequest request) {
            if (answered) {
                refuse(ctx, "malformed", "a second request on one connection");
                return;
            }
            answered = true;
            deadline.cancel(false);
            if (request instanceof PortPlease2Request r) {
                portPlease(r.name()).whenComplete((response, error) -> ctx.executor().execute(() -> {
                    if (error != null) {
                        refuse(ctx, "internal", "lookup of '" + NodeName.printable(r.name()) + "' failed: " + error);
                    } else {
                        reply(ctx, out -> EpmdCodec.encodePort2Response(response, out));
                    }
                }));
            } else if (request instanceof NamesRequest) {
                NamesResponse names = names();
                reply(ctx, out -> EpmdCodec.encodeNamesResponse(names, out));
            } else if (request instanceof Alive2Request) {
                refuse(ctx, "unsupported", "ALIVE2_REQ: nodes register with their own EPMD, not the gateway");
            }
        }

        private void reply(ChannelHandlerContext ctx, java.util.function.Consumer<ByteBuf> encoder) {
            ByteBuf out = ctx.alloc().buffer();
            encoder.accept(out);
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            EpmdException epmd = EpmdException.find(cause).orElse(null);
            if (epmd != null) {
                refuse(ctx, epmd.reason(), epmd.getMessage());
            } else {
                refuse(ctx, "internal", RelayFailure.describe(cause).detail());
            }
        }

        private boolean refused;

        /** Counts and logs once, and closes (the decoder may have closed the channel already). */
        private void refuse(ChannelHandlerContext ctx, String reason, String detail) {
            if (refused) {
                return;
            }
            refused = true;
            site.events().connectionRefused(site.name(), "name_service", reason,
                    detail + " (from " + ctx.channel().remoteAddress() + ")");
            ctx.close();
        }
    }
}
