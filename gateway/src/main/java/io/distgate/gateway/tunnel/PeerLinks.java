package io.distgate.gateway.tunnel;

import io.distgate.bridge.site.TunnelFarSite;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The tunnels up to each peer site. When both gateways dial each other there can be two per
 * peer; streams go over a dialled one when there is one (it opens streams directly), else over
 * an accepted one (through a reverse stream).
 */
public final class PeerLinks {

    private static final CopyOnWriteArrayList<H2Tunnel> EMPTY = new CopyOnWriteArrayList<>();

    private final Map<String, CopyOnWriteArrayList<H2Tunnel>> bySite = new ConcurrentHashMap<>();

    void add(H2Tunnel tunnel) {
        bySite.computeIfAbsent(tunnel.peerSite(), s -> new CopyOnWriteArrayList<>()).add(tunnel);
    }

    void remove(H2Tunnel tunnel) {
        CopyOnWriteArrayList<H2Tunnel> list = bySite.get(tunnel.peerSite());
        if (list != null) {
            list.remove(tunnel);
        }
    }

    /** Streams to {@code site}, for its {@link TunnelFarSite}. */
    public TunnelFarSite.Streams streamsTo(String site) {
        return new TunnelFarSite.Streams() {
            @Override
            public boolean isUp() {
                return best(site) != null;
            }

            @Override
            public CompletableFuture<Channel> open() {
                H2Tunnel tunnel = best(site);
                return tunnel != null ? tunnel.openStream()
                        : CompletableFuture.failedFuture(new IllegalStateException("no tunnel to site " + site + " is up"));
            }

            /** Streams are child channels of the tunnel connection: they run on its event loop. */
            @Override
            public EventLoop eventLoop() {
                H2Tunnel tunnel = best(site);
                return tunnel != null ? tunnel.parent().eventLoop() : null;
            }
        };
    }

    /** True while a tunnel to {@code site} is up. */
    public boolean isUp(String site) {
        return best(site) != null;
    }

    private H2Tunnel best(String site) {
        H2Tunnel accepted = null;
        for (H2Tunnel t : bySite.getOrDefault(site, EMPTY)) {
            if (t.isUp()) {
                if (t.role() == H2Tunnel.Role.DIALLED) {
                    return t;
                }
                accepted = t;
            }
        }
        return accepted;
    }

    /** Every tunnel: GOAWAY, then closed after the drain time. */
    void shutdown(long drainMillis) {
        bySite.values().forEach(list -> list.forEach(t -> t.shutdown(drainMillis)));
    }
}
