package io.distgate.bridge.site;

import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.epmd.EpmdClient;
import io.distgate.bridge.netty.HostResolver;
import io.distgate.bridge.netty.NettyTransport;
import io.distgate.bridge.session.FarHalf;
import io.distgate.bridge.session.FarSite.Availability;
import io.distgate.bridge.session.GatewayListener;
import io.distgate.bridge.session.NearHalf;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;

/**
 * The gateway's presence in one site: the name service its nodes ask, the proxy listeners they
 * dial, and the far halves that dial its nodes for other sites.
 */
public final class Site implements AutoCloseable {

    private final SiteSettings settings;
    private final EventLoopGroup group;
    private final NettyTransport transport;
    private final GatewayListener events;
    private final NodeLocator locator;
    private final SecureRandom random = new SecureRandom();
    private final LongSupplier challenges = () -> random.nextInt() & 0xFFFF_FFFFL;
    private final ProxyPorts proxies;
    private final NameService nameService;
    private Router router = node -> null;

    /**
     * @param proxyAddress address the proxy listeners bind to; nodes dial them at the address
     *                     they reach the name service at, so use the same one
     * @param proxyIdle    how long a proxy listener with no sessions stays open after last use
     */
    public Site(SiteSettings settings, EventLoopGroup group, NettyTransport transport, GatewayListener events,
            InetAddress proxyAddress, Duration proxyIdle) {
        this.settings = settings;
        this.group = group;
        this.transport = transport;
        this.events = events;
        EpmdClient epmd = new EpmdClient(group, transport);
        this.locator = new NodeLocator(epmd, HostResolver.shared(), settings.epmdPort(), settings.setupTimeout());
        this.proxies = new ProxyPorts(this, proxyAddress, proxyIdle);
        this.nameService = new NameService(this, proxies);
    }

    /** Sets how this site's nodes reach other sites; call before {@link #start}. */
    public void routeWith(Router router) {
        this.router = router;
    }

    /** Binds the name service; completes with its port. */
    public CompletableFuture<Integer> start(InetSocketAddress nameServiceAddress) {
        CompletableFuture<Integer> started = new CompletableFuture<>();
        nameService.bind(nameServiceAddress).addListener(f -> {
            if (f.isSuccess()) {
                proxies.start();
                started.complete(nameService.port());
            } else {
                started.completeExceptionally(new IllegalStateException("site " + name()
                        + ": cannot bind the name service to " + nameServiceAddress + ": " + f.cause().getMessage(), f.cause()));
            }
        });
        return started;
    }

    public String name() {
        return settings.name();
    }

    public SiteSettings settings() {
        return settings;
    }

    /** Whether {@code node} is a node of this site. */
    public boolean isLocal(NodeName node) {
        return settings.nodes().matches(node);
    }

    public int nameServicePort() {
        return nameService.port();
    }

    /** Whether {@code node} is registered with its host's EPMD now. */
    public CompletableFuture<Availability> lookup(NodeName node) {
        return locator.locate(node).handle((address, error) -> {
            if (error == null) {
                return Availability.FOUND;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            return cause instanceof UnknownNodeException ? Availability.UNKNOWN : Availability.UNREACHABLE;
        });
    }

    Router router() {
        return router;
    }

    EventLoopGroup group() {
        return group;
    }

    NettyTransport transport() {
        return transport;
    }

    GatewayListener events() {
        return events;
    }

    LongSupplier challenges() {
        return challenges;
    }

    NearHalf.SiteLocal nearLocal() {
        return new NearHalf.SiteLocal(settings, this::isLocal);
    }

    /** What a far half dialling into this site needs. */
    public FarHalf.Context farContext() {
        return new FarHalf.Context(settings, this::isLocal, locator, transport, events, challenges);
    }

    @Override
    public void close() {
        nameService.close();
        proxies.close();
    }
}
