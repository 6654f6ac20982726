package io.distgate.gateway;

import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.netty.NettyTransport;
import io.distgate.bridge.session.FarSite;
import io.distgate.bridge.session.GatewayListener;
import io.distgate.bridge.session.SessionLog;
import io.distgate.bridge.session.FarHalf;
import io.distgate.bridge.session.StreamAcceptor;
import io.distgate.bridge.site.LocalFarSite;
import io.distgate.bridge.site.TunnelFarSite;
import io.distgate.bridge.site.Site;
import io.distgate.gateway.config.GatewayConfig;
import io.distgate.gateway.config.HostPort;
import io.distgate.gateway.config.PeerConfig;
import io.distgate.gateway.config.SiteConfig;
import io.distgate.gateway.config.TunnelConfig;
import io.distgate.gateway.tunnel.TlsTunnels;
import io.distgate.gateway.tunnel.TunnelListener;
import io.distgate.gateway.tunnel.TunnelListeners;
import io.distgate.gateway.tunnel.TunnelTransport;
import io.distgate.bridge.relay.CloseReason;
import io.distgate.bridge.session.SetupFailure;
import io.distgate.gateway.ssh.SshTunnels;
import io.distgate.metrics.Meters;
import io.distgate.metrics.MetricsServer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: one event loop group, the sites it joins, how each site's nodes reach
 * the others, and the metrics endpoint.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.distgate.gateway");

    private final EventLoopGroup group;
    private final Map<String, Site> sites = new LinkedHashMap<>();
    private final Map<String, FarSite> peers = new LinkedHashMap<>();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Meters meters = new Meters(registry);
    private StatusView status;
    private MetricsServer metricsServer;
    private TunnelTransport tunnels;
    private long drainMillis;

    private Gateway(NettyTransport transport) {
        this.group = transport.newGroup(0, "distgate");
    }

    /** Starts every site of {@code config}; on any failure, stops what was started and throws. */
    public static Gateway start(GatewayConfig config) {
        NettyTransport transport = NettyTransport.best();
        Gateway gateway = new Gateway(transport);
        try {
            gateway.startSites(config, transport);
            gateway.startMetrics(config);
            return gateway;
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
    }

    private List<PeerConfig> peerConfigs = List.of();

    private void startSites(GatewayConfig config, NettyTransport transport) {
        peerConfigs = config.peers();
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            // Netty's own (direct) buffer memory: the JVM's buffer-pool meters do not see it.
            new NettyAllocatorMetrics(provider).bindTo(registry);
        }
        new NettyEventExecutorMetrics(group).bindTo(registry);
        status = new StatusView(config.sites().stream().map(SiteConfig::name).toList());
        preRegisterMeters(config);
        GatewayListener events = GatewayListener.all(List.of(new SessionLog(), new MetricsListener(meters), status));
        for (SiteConfig sc : config.sites()) {
            InetAddress bind = sc.nameService().listen().toAddress().getAddress();
            sites.put(sc.name(), new Site(sc.toSettings(), group, transport, events, bind, sc.proxy().idleTimeout()));
        }
        if (!config.peers().isEmpty()) {
            startTunnels(config, transport);
        }
        for (Site site : sites.values()) {
            site.routeWith(routerFor(site));
        }
        for (SiteConfig sc : config.sites()) {
            Site site = sites.get(sc.name());
            int port = await(site.start(sc.nameService().listen().toAddress()), "site " + sc.name());
            LOG.info("site ready site={} name_service={}:{} epmd_port={} node_names={} nodes={} transport={}",
                    sc.name(), sc.nameService().listen().host(), port, sc.epmdPort(), sc.nodeNames(), sc.nodes(),
                    transport.name());
        }
    }

    private void startTunnels(GatewayConfig config, NettyTransport transport) {
        TunnelConfig tc = config.tunnel();
        drainMillis = tc.drainTimeout().toMillis();
        String local = config.sites().get(0).name();
        TunnelListener events = new TunnelListeners(List.of(new TunnelEvents(meters), status));
        if (tc.transport().equals("ssh")) {
            tunnels = SshTunnels.start(local, tc, config.peers(), new LocalSites(), events, group, transport);
        } else {
            TlsTunnels tls = TlsTunnels.start(local, tc, config.peers(), new LocalSites(), events, group, transport);
            meters.certificateExpiry("leaf", () -> tls.expiry().leafSeconds());
            meters.certificateExpiry("ca", () -> tls.expiry().caSeconds());
            tunnels = tls;
        }
        for (PeerConfig peer : config.peers()) {
            peers.put(peer.site(), new TunnelFarSite(peer.site(), tunnels.streamsTo(peer.site()), tc.lookupTimeout()));
            meters.tunnelUp(peer.site(), () -> tunnels.isUp(peer.site()));
        }
        status.tunnelState(tunnels::isUp, config.peers().stream().map(PeerConfig::site).toList());
        LOG.info("tunnels ready {} peers={}", tunnels.describe(),
                config.peers().stream().map(p -> p.site() + (p.dial() != null ? "@" + p.dial() : "")).toList());
    }

    /** Every counter a configured site pair can have, at zero from the start (docs/metrics.md). */
    private void preRegisterMeters(GatewayConfig config) {
        List<String> others = new ArrayList<>();
        config.sites().forEach(s -> others.add(s.name()));
        config.peers().forEach(p -> others.add(p.site()));
        List<List<String>> pairs = new ArrayList<>();
        for (SiteConfig s : config.sites()) {
            others.stream().filter(o -> !o.equals(s.name())).forEach(o -> pairs.add(List.of(s.name(), o)));
        }
        Map<String, List<String>> auth = new LinkedHashMap<>();
        if (config.tunnel() != null) {
            auth.put(config.tunnel().transport(), config.tunnel().transport().equals("ssh") ? SSH_REFUSALS
                    : java.util.Arrays.stream(io.distgate.tls.TlsFailureReason.values()).map(r -> r.label()).toList());
        }
        meters.preRegister(pairs, java.util.Arrays.stream(SetupFailure.values()).map(SetupFailure::label).toList(),
                CLOSE_REASONS, auth, MetricsListener.opLabels());
    }

    /** What a session that was up can end with (CloseReason labels). */
    private static final List<String> CLOSE_REASONS = List.of(CloseReason.CLOSED, CloseReason.TICK_TIMEOUT,
            CloseReason.PROTOCOL, CloseReason.IO, CloseReason.TUNNEL_DOWN, CloseReason.SHUTDOWN);

    /** Reasons the SSH transport refuses with (HostKeyVerifier, EmbeddedSshServer, RefusingSessionChannel, SshDialer). */
    private static final List<String> SSH_REFUSALS = List.of("unknown_host_key", "changed_host_key", "unknown_client_key",
            "wrong_site", "auth_rejected", "shell_request", "exec_request", "subsystem_request", "session_request",
            "forward_refused");

    /** The local sites as the streams of a peer see them. */
    private final class LocalSites implements StreamAcceptor.LocalSites {
        @Override
        public FarHalf.Context contextFor(NodeName node) {
            Site site = localSiteOf(node);
            return site != null ? site.farContext() : null;
        }

        @Override
        public java.util.concurrent.CompletableFuture<FarSite.Availability> lookup(NodeName node) {
            Site site = localSiteOf(node);
            return site != null ? site.lookup(node)
                    : java.util.concurrent.CompletableFuture.completedFuture(FarSite.Availability.UNKNOWN);
        }

        private Site localSiteOf(NodeName node) {
            return sites.values().stream().filter(s -> s.isLocal(node)).findFirst().orElse(null);
        }
    }

    /** Names of other sites served by this process are routed to them, in configuration order. */
    private io.distgate.bridge.site.Router routerFor(Site site) {
        List<Site> others = new ArrayList<>(sites.values());
        others.remove(site);
        Map<Site, FarSite> far = new LinkedHashMap<>();
        others.forEach(o -> far.put(o, new LocalFarSite(o, site)));
        Map<String, io.distgate.bridge.site.NodePatterns> peerPatterns = new LinkedHashMap<>();
        peerConfigs.forEach(p -> peerPatterns.put(p.site(), p.patterns()));
        return (NodeName node) -> {
            if (site.isLocal(node)) {
                return null;
            }
            for (Map.Entry<Site, FarSite> e : far.entrySet()) {
                if (e.getKey().isLocal(node)) {
                    return e.getValue();
                }
            }
            for (Map.Entry<String, io.distgate.bridge.site.NodePatterns> e : peerPatterns.entrySet()) {
                if (e.getValue().matches(node)) {
                    return peers.get(e.getKey());
                }
            }
            return null;
        };
    }

    private void startMetrics(GatewayConfig config) {
        HostPort address = config.metrics().address();
        if (address == null) {
            return;
        }
        try {
            metricsServer = new MetricsServer(address.toAddress(), registry, Map.of("/status", status::json));
            LOG.info("metrics ready url=http://{}:{}/metrics", address.host(), metricsServer.port());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + address + ": " + e.getMessage(), e);
        }
    }

    /** The line a supervisor (or the demo and tests) waits for: every listener is bound. */
    public void logReady() {
        LOG.info("gateway ready sites={} metrics={}", String.join(",", sites.keySet()),
                metricsServer != null ? "http://127.0.0.1:" + metricsServer.port() + "/metrics" : "off");
    }

    public Site site(String name) {
        Site site = sites.get(name);
        if (site == null) {
            throw new IllegalArgumentException("no site named " + name);
        }
        return site;
    }

    /** The metrics endpoint's port, or -1 when it is turned off. */
    public int metricsPort() {
        return metricsServer != null ? metricsServer.port() : -1;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Stops taking new sessions, sends GOAWAY to the peers, lets running sessions drain for
     * the configured time, then closes every connection at once, so nodes see nodedown promptly.
     */
    @Override
    public void close() {
        sites.values().forEach(Site::close);
        if (tunnels != null) {
            tunnels.shutdown(drainMillis);
            group.schedule(() -> { }, drainMillis, TimeUnit.MILLISECONDS).awaitUninterruptibly();
        }
        if (metricsServer != null) {
            metricsServer.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future, String what) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(what + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + ": interrupted", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(what + ": did not start within 30 s", e);
        }
    }
}
