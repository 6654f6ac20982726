package io.distgate.gateway;

import io.distgate.gateway.tunnel.TunnelListener;
import io.distgate.metrics.Meters;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tunnel events to log lines and meters. */
final class TunnelEvents implements TunnelListener {

    private static final Logger LOG = LoggerFactory.getLogger("io.distgate.tunnel");

    private final Meters meters;

    TunnelEvents(Meters meters) {
        this.meters = meters;
    }

    @Override
    public void tunnelUp(String peerSite, String role, String remote, String security) {
        LOG.info("tunnel up peer_site={} role={} remote={} security={}", peerSite, role, remote, security);
    }

    @Override
    public void tunnelDown(String peerSite, String role, String reason) {
        LOG.warn("tunnel down peer_site={} role={} reason={}", peerSite, role, reason);
    }

    @Override
    public void tunnelDraining(String peerSite, String role, String reason) {
        LOG.info("tunnel draining peer_site={} role={} reason={}", peerSite, role, reason);
    }

    @Override
    public void roundTrip(String peerSite, long nanos) {
        meters.tunnelRoundTrip(peerSite, nanos);
        if (LOG.isDebugEnabled()) {
            LOG.debug("tunnel rtt peer_site={} rtt_us={}", peerSite, TimeUnit.NANOSECONDS.toMicros(nanos));
        }
    }

    @Override
    public void reconnectScheduled(String peerSite, long delayMillis, String cause) {
        meters.tunnelReconnect(peerSite);
        LOG.info("tunnel reconnect peer_site={} in_ms={} cause={}", peerSite, delayMillis, cause);
    }

    @Override
    public void authFailure(String transport, String reason, String detail) {
        meters.tunnelAuthFailure(transport, reason);
        LOG.warn("tunnel refused transport={} reason={}: {}", transport, reason, detail);
    }

}
