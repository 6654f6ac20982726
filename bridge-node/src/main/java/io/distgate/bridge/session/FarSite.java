package io.distgate.bridge.session;

import io.distgate.bridge.dist.NodeName;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;

/**
 * A site that nodes of another site reach through the gateway: a site served by this same
 * process, or a peer site behind a tunnel.
 */
public interface FarSite {

    /** Whether a node can be dialled at its site right now. */
    enum Availability { FOUND, UNKNOWN, UNREACHABLE }

    String name();

    /** Asks the site whether {@code node} is registered there (its host's EPMD). */
    CompletableFuture<Availability> lookup(NodeName node);

    /**
     * Starts the far half of a session for {@code near}: the far side dials {@code open.to()}.
     * The returned link carries the near half's messages; the far half's answers reach
     * {@code near} on its executor.
     */
    SessionLink open(SetupMessage.Open open, SetupReceiver near);

    /**
     * The event loop this site's sessions relay on when it is fixed (the tunnel connection of a
     * peer reached over HTTP/2), or null. Node connections accepted for this site are registered
     * on it, so a relayed message never changes threads.
     */
    default EventLoop eventLoop() {
        return null;
    }
}
