package io.distgate.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distgate.bridge.relay.CloseReason;
import io.distgate.bridge.session.GatewayListener;
import io.distgate.bridge.session.SessionInfo;
import io.distgate.bridge.session.SetupFailure;
import io.distgate.gateway.tunnel.TunnelListener;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The gateway's {@code /status} view (JSON): its tunnels with their state and last round trip,
 * the sessions up per node pair, and the latest refusals with their reasons. Built from the
 * same events as the logs and meters.
 */
final class StatusView implements GatewayListener, TunnelListener {

    /** Refusals kept for the view, newest last. */
    static final int RECENT = 50;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Instant started = Instant.now();
    private final List<String> sites;
    private final Map<String, Tunnel> tunnels = new ConcurrentHashMap<>();
    private final Map<List<String>, Pair> pairs = new ConcurrentHashMap<>();
    private final ArrayDeque<Map<String, Object>> refusals = new ArrayDeque<>();
    private Predicate<String> tunnelUp = peer -> false;

    private static final class Tunnel {
        volatile String role = "";
        volatile String security = "";
        volatile String since = "";
        volatile double lastRttMillis = -1;
    }

    private static final class Pair {
        int count;
        String since;
    }

    StatusView(List<String> sites) {
        this.sites = List.copyOf(sites);
    }

    /** Where the view asks whether a peer's tunnel is usable now. */
    void tunnelState(Predicate<String> up, List<String> peers) {
        this.tunnelUp = up;
        peers.forEach(p -> tunnels.computeIfAbsent(p, k -> new Tunnel()));
    }

    @Override
    public void sessionUp(SessionInfo s, long setupNanos) {
        pairs.compute(key(s), (k, p) -> {
            Pair pair = p != null ? p : new Pair();
            pair.count++;
            pair.since = Instant.now().toString();
            return pair;
        });
    }

    @Override
    public void sessionClosed(SessionInfo s, CloseReason reason) {
        pairs.computeIfPresent(key(s), (k, p) -> --p.count > 0 ? p : null);
    }

    @Override
    public void setupFailed(SessionInfo s, SetupFailure failure, String detail, long elapsedNanos) {
        if (failure != SetupFailure.LOST_RACE && failure != SetupFailure.CLOSED) {
            refused(s.localSite(), "session " + s.pair(), failure.label(), detail);
        }
    }

    @Override
    public void connectionRefused(String site, String listener, String reason, String detail) {
        refused(site, listener, reason, detail);
    }

    @Override
    public void tunnelUp(String peerSite, String role, String remote, String security) {
        Tunnel t = tunnels.computeIfAbsent(peerSite, k -> new Tunnel());
        t.role = role;
        t.security = security;
        t.since = Instant.now().toString();
    }

    @Override
    public void roundTrip(String peerSite, long nanos) {
        tunnels.computeIfAbsent(peerSite, k -> new Tunnel()).lastRttMillis = nanos / 1e6;
    }

    @Override
    public void authFailure(String transport, String reason, String detail) {
        refused(sites.get(0), "tunnel (" + transport + ")", reason, detail);
    }

    private void refused(String site, String where, String reason, String detail) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("at", Instant.now().toString());
        r.put("site", site);
        r.put("where", where);
        r.put("reason", reason);
        r.put("detail", detail);
        synchronized (refusals) {
            refusals.addLast(r);
            while (refusals.size() > RECENT) {
                refusals.removeFirst();
            }
        }
    }

    private static List<String> key(SessionInfo s) {
        return List.of(s.localSite(), s.peerSite(), s.role().name().toLowerCase(), s.pair());
    }

    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> gateway = new LinkedHashMap<>();
        gateway.put("sites", sites);
        gateway.put("started", started.toString());
        gateway.put("uptime_seconds", TimeUnit.MILLISECONDS.toSeconds(System.currentTimeMillis() - started.toEpochMilli()));
        root.put("gateway", gateway);
        List<Map<String, Object>> tunnelList = new ArrayList<>();
        tunnels.forEach((peer, t) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("peer_site", peer);
            m.put("up", tunnelUp.test(peer));
            m.put("role", t.role);
            m.put("since", t.since);
            m.put("last_rtt_ms", t.lastRttMillis < 0 ? null : Math.round(t.lastRttMillis * 1000) / 1000.0);
            m.put("security", t.security);
            tunnelList.add(m);
        });
        root.put("tunnels", tunnelList);
        List<Map<String, Object>> sessionList = new ArrayList<>();
        pairs.forEach((k, p) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("site", k.get(0));
            m.put("peer_site", k.get(1));
            m.put("role", k.get(2));
            m.put("pair", k.get(3));
            m.put("sessions", p.count);
            m.put("since", p.since);
            sessionList.add(m);
        });
        root.put("sessions", sessionList);
        synchronized (refusals) {
            root.put("recent_refusals", new ArrayList<>(refusals));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
