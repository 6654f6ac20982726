package io.distgate.gateway.tunnel;

import io.distgate.tls.PeerRejectedException;
import io.distgate.tls.TlsFailureReason;
import io.distgate.tls.TlsPeer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslHandler;
import java.util.Set;
import java.util.function.Consumer;

/**
 * After the TLS handshake of a tunnel connection: checks the peer's site and ALPN h2, then
 * installs HTTP/2; or logs and counts why the peer was refused, and closes. A refused peer has
 * seen no HTTP/2 byte, so it learns nothing about the site's nodes.
 */
final class TunnelNegotiation extends ApplicationProtocolNegotiationHandler {

    private final H2Tunnel.Role role;
    private final Set<String> allowedSites;
    private final TunnelContext context;
    private final Consumer<H2Tunnel> onUp;

    TunnelNegotiation(H2Tunnel.Role role, Set<String> allowedSites, TunnelContext context, Consumer<H2Tunnel> onUp) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.role = role;
        this.allowedSites = allowedSites;
        this.context = context;
        this.onUp = onUp;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        TlsPeer peer;
        try {
            peer = TlsPeer.afterHandshake(ctx.pipeline().get(SslHandler.class), allowedSites);
        } catch (PeerRejectedException e) {
            refuse(ctx, e.reason().label(), e.getMessage());
            return;
        }
        H2Tunnel tunnel = H2Pipeline.install(ctx.channel(), role, peer.site(), context);
        context.listener().tunnelUp(peer.site(), role.name().toLowerCase(), String.valueOf(ctx.channel().remoteAddress()),
                peer.protocol() + " " + peer.cipherSuite());
        onUp.accept(tunnel);
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        refuse(ctx, TlsFailureReason.reasonOf(cause), rootMessage(cause));
    }

    private void refuse(ChannelHandlerContext ctx, String reason, String detail) {
        context.listener().authFailure("tls", reason, role.name().toLowerCase() + " connection "
                + ctx.channel().remoteAddress() + ": " + detail);
        ctx.close();
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + root.getMessage() + ")";
    }
}
