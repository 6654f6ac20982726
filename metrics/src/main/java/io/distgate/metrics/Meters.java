package io.distgate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meter catalogue: every meter distgate exports is declared here, once (docs/metrics.md
 * lists them). Labels come from small fixed sets (site names from the configuration, direction,
 * operation, reason, outcome), never from node names or addresses.
 */
public final class Meters {

    public static final String SESSIONS_ACTIVE = "distgate.sessions.active";
    public static final String SESSION_SETUP = "distgate.session.setup";
    public static final String SESSIONS_CLOSED = "distgate.sessions.closed";
    public static final String HANDSHAKE_FAILURES = "distgate.handshake.failures";
    public static final String CONNECTIONS_REFUSED = "distgate.connections.refused";
    public static final String RELAY_BYTES = "distgate.relay.bytes";
    public static final String RELAY_MESSAGES = "distgate.relay.messages";
    public static final String TUNNEL_UP = "distgate.tunnel.up";
    public static final String TUNNEL_RTT = "distgate.tunnel.rtt";
    public static final String TUNNEL_RECONNECTS = "distgate.tunnel.reconnects";
    public static final String TUNNEL_AUTH_FAILURES = "distgate.tunnel.auth.failures";
    public static final String FLOW_CONTROL_STALLS = "distgate.flow.control.stalls";
    public static final String CERTIFICATE_EXPIRY = "distgate.tls.certificate.expiry";

    private final MeterRegistry registry;
    private final Map<List<String>, AtomicInteger> active = new ConcurrentHashMap<>();
    private final Map<List<String>, RelayMeters> relays = new ConcurrentHashMap<>();

    public Meters(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Creates, at zero, every counter a site pair can have, so a series exists before its first
     * event and {@code rate()}/{@code increase()} in alerts see that event too.
     *
     * @param pairs          (site, peer site) pairs this gateway serves
     * @param failureReasons every setup failure reason
     * @param closeReasons   every reason a session that was up can end with
     * @param authReasons    tunnel authentication failure reasons, by transport
     */
    public void preRegister(List<List<String>> pairs, List<String> failureReasons, List<String> closeReasons,
            Map<String, List<String>> authReasons, String[] opLabels) {
        for (List<String> pair : pairs) {
            String site = pair.get(0);
            String peer = pair.get(1);
            activeGauge(site, peer);
            relay(site, peer, opLabels);
            closeReasons.forEach(reason -> sessionsClosed(site, peer, reason));
            for (String side : List.of("near", "far")) {
                failureReasons.forEach(reason -> handshakeFailures(site, side, reason));
            }
            reconnects(peer);
            stalls(peer);
        }
        authReasons.forEach((transport, reasons) -> reasons.forEach(reason -> authFailures(transport, reason)));
    }

    /** A session (one site's half of it) finished both handshakes. */
    public void sessionUp(String site, String peerSite, long setupNanos) {
        activeGauge(site, peerSite).incrementAndGet();
        setupTimer(site, peerSite, "ok").record(setupNanos, TimeUnit.NANOSECONDS);
    }

    /** A session that was up ended; {@code reason} is a close-reason label. */
    public void sessionClosed(String site, String peerSite, String reason) {
        activeGauge(site, peerSite).decrementAndGet();
        sessionsClosed(site, peerSite, reason).increment();
    }

    /**
     * A session ended before it was up.
     *
     * @param side near: the node that dialled the gateway; far: the node the gateway dialled
     */
    public void setupFailed(String site, String peerSite, String side, String reason, long elapsedNanos) {
        setupTimer(site, peerSite, reason).record(elapsedNanos, TimeUnit.NANOSECONDS);
        handshakeFailures(site, side, reason).increment();
    }

    /** A connection refused before any session existed: bad bytes, unknown requests, deadlines. */
    public void connectionRefused(String site, String listener, String reason) {
        Counter.builder(CONNECTIONS_REFUSED).description("Connections to the name service or a proxy port closed for bad input")
                .tags("site", site, "listener", listener, "reason", reason).register(registry).increment();
    }

    /**
     * Counters for traffic relayed between {@code site} and {@code peerSite}, resolved up front.
     *
     * @param opLabels metric label of each operation code (index = code); unknown codes count as index 0
     */
    public RelayMeters relay(String site, String peerSite, String[] opLabels) {
        return relays.computeIfAbsent(List.of(site, peerSite), k -> new RelayMeters(registry, site, peerSite, opLabels));
    }

    /** 1 while a tunnel to {@code peerSite} is usable, 0 otherwise. */
    public void tunnelUp(String peerSite, java.util.function.BooleanSupplier up) {
        // Strong reference: Micrometer holds gauge state weakly, and nothing else holds this lambda.
        Gauge.builder(TUNNEL_UP, up, u -> u.getAsBoolean() ? 1 : 0).description("1 while a tunnel to the peer site is usable")
                .tags("peer_site", peerSite).strongReference(true).register(registry);
    }

    /** One answered PING or keepalive: every sample, not a sample of them. */
    public void tunnelRoundTrip(String peerSite, long nanos) {
        Timer.builder(TUNNEL_RTT).description("Round trips of the tunnel's liveness probes (HTTP/2 PING, SSH keepalive)")
                .tags("peer_site", peerSite)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void tunnelReconnect(String peerSite) {
        reconnects(peerSite).increment();
    }

    /** A peer gateway refused: wrong CA, no or expired certificate, wrong site, no h2, ... */
    public void tunnelAuthFailure(String transport, String reason) {
        authFailures(transport, reason).increment();
    }

    public void flowControlStall(String peerSite) {
        stalls(peerSite).increment();
    }

    private Counter sessionsClosed(String site, String peerSite, String reason) {
        return Counter.builder(SESSIONS_CLOSED).description("Sessions that were up and ended, by reason")
                .tags("site", site, "peer_site", peerSite, "reason", reason).register(registry);
    }

    private Counter handshakeFailures(String site, String side, String reason) {
        return Counter.builder(HANDSHAKE_FAILURES).description("Session setups that failed, by the side that failed and why")
                .tags("site", site, "side", side, "reason", reason).register(registry);
    }

    private Counter reconnects(String peerSite) {
        return Counter.builder(TUNNEL_RECONNECTS).description("Times a dialling gateway scheduled a new attempt to reach the peer")
                .tags("peer_site", peerSite).register(registry);
    }

    private Counter authFailures(String transport, String reason) {
        return Counter.builder(TUNNEL_AUTH_FAILURES).description("Tunnel connections refused during authentication, by reason")
                .tags("transport", transport, "reason", reason).register(registry);
    }

    private Counter stalls(String peerSite) {
        return Counter.builder(FLOW_CONTROL_STALLS)
                .description("Times a relay stopped reading a node because the other side could not take more (stream window closed)")
                .tags("peer_site", peerSite).register(registry);
    }

    /** Seconds until a certificate expires ({@code role}: leaf or ca); negative once expired. */
    public void certificateExpiry(String role, java.util.function.LongSupplier seconds) {
        Gauge.builder(CERTIFICATE_EXPIRY, seconds, s -> s.getAsLong()).baseUnit("seconds")
                .description("Seconds until this gateway's certificate (leaf) or its CA expires")
                .tags("role", role).strongReference(true).register(registry);
    }

    private AtomicInteger activeGauge(String site, String peerSite) {
        return active.computeIfAbsent(List.of(site, peerSite), k -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder(SESSIONS_ACTIVE, value, AtomicInteger::get).description("Sessions up now")
                    .tags("site", site, "peer_site", peerSite).register(registry);
            return value;
        });
    }

    private Timer setupTimer(String site, String peerSite, String outcome) {
        return Timer.builder(SESSION_SETUP)
                .description("From the near node's connection to both handshakes done, by outcome")
                .tags("site", site, "peer_site", peerSite, "outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }
}
