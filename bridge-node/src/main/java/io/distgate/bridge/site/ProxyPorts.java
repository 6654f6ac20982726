package io.distgate.bridge.site;

import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.netty.PreferredLoopGroup;
import io.distgate.bridge.session.FarSite;
import io.distgate.bridge.session.LegPipeline;
import io.distgate.bridge.session.NearHalf;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener per remote node, for the nodes of one site. The handshake never says whom the
 * caller wanted, so the port itself names the remote node. A listener with no sessions that has
 * not been asked for during the idle timeout is closed; the next lookup opens a new one.
 */
final class ProxyPorts {

    private static final Logger LOG = LoggerFactory.getLogger("io.distgate.proxy");

    private final Site site;
    private final InetAddress bindAddress;
    private final long idleNanos;
    private final Map<NodeName, CompletableFuture<Listener>> listeners = new ConcurrentHashMap<>();
    private ScheduledFuture<?> sweeper;

    /** A proxy listener, its far site, and how busy it is. */
    record Listener(NodeName remote, FarSite far, Channel server, AtomicInteger sessions, AtomicLong lastUsedNanos) {
        int port() {
            return ((InetSocketAddress) server.localAddress()).getPort();
        }

        void touch() {
            lastUsedNanos.set(System.nanoTime());
        }
    }

    ProxyPorts(Site site, InetAddress bindAddress, Duration idleTimeout) {
        this.site = site;
        this.bindAddress = bindAddress;
        this.idleNanos = idleTimeout.toNanos();
    }

    void start() {
        long period = Math.max(TimeUnit.SECONDS.toNanos(1), idleNanos / 4);
        sweeper = site.group().next().scheduleAtFixedRate(this::closeIdle, period, period, TimeUnit.NANOSECONDS);
    }

    /** The port of the listener for {@code remote}, opening one if there is none. */
    CompletableFuture<Integer> portFor(NodeName remote, FarSite far) {
        CompletableFuture<Listener> listener = listeners.computeIfAbsent(remote, r -> open(r, far));
        return listener.thenApply(l -> {
            l.touch();
            return l.port();
        });
    }

    /** The open listeners' remote nodes and ports. */
    List<Map.Entry<NodeName, Integer>> known() {
        List<Map.Entry<NodeName, Integer>> out = new ArrayList<>();
        listeners.forEach((node, future) -> {
            Listener l = future.getNow(null);
            if (l != null && l.server().isActive()) {
                out.add(Map.entry(node, l.port()));
            }
        });
        return out;
    }

    private CompletableFuture<Listener> open(NodeName remote, FarSite far) {
        CompletableFuture<Listener> result = new CompletableFuture<>();
        AtomicInteger sessions = new AtomicInteger();
        AtomicLong lastUsed = new AtomicLong(System.nanoTime());
        // A node's connection goes on the event loop of the tunnel its session will use, when the far
        // site has one: relaying then never hands a message to another thread (docs/benchmarks.md).
        ChannelFuture bind = new ServerBootstrap()
                .group(site.group(), new PreferredLoopGroup(site.group(), far::eventLoop))
                .channel(site.transport().serverChannel())
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        sessions.incrementAndGet();
                        lastUsed.set(System.nanoTime());
                        ch.closeFuture().addListener(f -> {
                            sessions.decrementAndGet();
                            lastUsed.set(System.nanoTime());
                        });
                        LegPipeline.handshake(ch.pipeline(),
                                new NearHalf(site.nearLocal(), remote, far, site.events(), site.challenges()));
                    }
                })
                .bind(new InetSocketAddress(bindAddress, 0));
        bind.addListener(f -> {
            if (f.isSuccess()) {
                Listener listener = new Listener(remote, far, bind.channel(), sessions, lastUsed);
                LOG.info("proxy open {} site={} peer_site={} port={}", remote, site.name(), far.name(), listener.port());
                result.complete(listener);
            } else {
                listeners.remove(remote, result);
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }

    private void closeIdle() {
        long now = System.nanoTime();
        listeners.forEach((node, future) -> {
            Listener l = future.getNow(null);
            if (l != null && l.sessions().get() == 0 && now - l.lastUsedNanos().get() > idleNanos) {
                if (listeners.remove(node, future)) {
                    LOG.info("proxy closed {} site={} port={} reason=idle", node, site.name(), l.port());
                    l.server().close();
                }
            }
        });
    }

    void close() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        listeners.values().forEach(f -> f.thenAccept(l -> l.server().close()));
        listeners.clear();
    }
}
