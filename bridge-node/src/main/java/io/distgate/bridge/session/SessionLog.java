package io.distgate.bridge.session;

import io.distgate.bridge.relay.CloseReason;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log lines for session lifecycle events. Each line starts with the operation and carries the
 * node pair and peer site (STYLE habit 10); cookies and digests never appear.
 */
public final class SessionLog implements GatewayListener {

    private static final Logger LOG = LoggerFactory.getLogger("io.distgate.session");

    @Override
    public void sessionUp(SessionInfo session, long setupNanos) {
        LOG.info("session up {} site={} peer_site={} role={} setup_ms={}", session.pair(), session.localSite(),
                session.peerSite(), session.role().name().toLowerCase(), TimeUnit.NANOSECONDS.toMillis(setupNanos));
    }

    @Override
    public void sessionClosed(SessionInfo session, CloseReason reason) {
        LOG.info("session closed {} site={} peer_site={} reason={}: {}", session.pair(), session.localSite(),
                session.peerSite(), reason.label(), reason.detail());
    }

    /**
     * Losing a simultaneous-connect race, a node closing its own attempt, or asking for a node
     * that is not running are everyday events of a healthy cluster: INFO. Everything else points
     * at a misconfiguration, an attack or a broken network: WARN.
     */
    @Override
    public void setupFailed(SessionInfo session, SetupFailure failure, String detail, long elapsedNanos) {
        boolean routine = failure == SetupFailure.LOST_RACE || failure == SetupFailure.CLOSED
                || failure == SetupFailure.UNKNOWN_NODE || failure == SetupFailure.SHUTDOWN;
        String format = "session setup failed {} site={} peer_site={} role={} reason={} after_ms={}: {}";
        Object[] args = {session.pair(), session.localSite(), session.peerSite(), session.role().name().toLowerCase(),
            failure.label(), TimeUnit.NANOSECONDS.toMillis(elapsedNanos), detail};
        if (routine) {
            LOG.info(format, args);
        } else {
            LOG.warn(format, args);
        }
    }

    @Override
    public void connectionRefused(String site, String listener, String reason, String detail) {
        LOG.warn("connection refused site={} listener={} reason={}: {}", site, listener, reason, detail);
    }
}
