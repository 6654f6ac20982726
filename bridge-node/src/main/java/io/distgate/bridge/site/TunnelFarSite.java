package io.distgate.bridge.site;

import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.session.FarSite;
import io.distgate.bridge.session.LookupClient;
import io.distgate.bridge.session.SessionLink;
import io.distgate.bridge.session.SetupMessage.Open;
import io.distgate.bridge.session.SetupReceiver;
import io.distgate.bridge.session.StreamLink;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A peer site behind a tunnel: every lookup and every session is a stream of the tunnel. While
 * the tunnel is down, lookups answer UNREACHABLE at once, so nodes get {@code pang} fast.
 */
public final class TunnelFarSite implements FarSite {

    /** What a transport (TLS/HTTP/2, SSH) offers: streams to one peer site. */
    public interface Streams {
        /** True while a tunnel to the peer is up. */
        boolean isUp();

        /** A new stream (a channel carrying bytes) to the peer; fails when no tunnel is up. */
        CompletableFuture<Channel> open();

        /**
         * A new stream for a session whose node connection runs on {@code near}: a transport that
         * can choose the stream's event loop puts it there, so the relay needs no thread hand-off.
         */
        default CompletableFuture<Channel> open(EventLoop near) {
            return open();
        }

        /**
         * The event loop the streams live on when the transport decides it (HTTP/2: the tunnel
         * connection's), so node connections can be put on it; null when it does not.
         */
        default EventLoop eventLoop() {
            return null;
        }
    }

    private final String name;
    private final Streams streams;
    private final Duration lookupTimeout;

    public TunnelFarSite(String name, Streams streams, Duration lookupTimeout) {
        this.name = name;
        this.streams = streams;
        this.lookupTimeout = lookupTimeout;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<Availability> lookup(NodeName node) {
        if (!streams.isUp()) {
            return CompletableFuture.completedFuture(Availability.UNREACHABLE);
        }
        return streams.open()
                .thenCompose(stream -> LookupClient.ask(stream, node, lookupTimeout))
                .exceptionally(e -> Availability.UNREACHABLE);
    }

    @Override
    public SessionLink open(Open open, SetupReceiver near) {
        StreamLink link = new StreamLink(near, name);
        link.send(open);
        streams.open(near.executor() instanceof EventLoop loop ? loop : null).whenComplete(link::attach);
        return link;
    }

    @Override
    public EventLoop eventLoop() {
        return streams.eventLoop();
    }
}
