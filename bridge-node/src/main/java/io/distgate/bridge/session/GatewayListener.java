package io.distgate.bridge.session;

import io.distgate.bridge.relay.CloseReason;
import io.distgate.bridge.relay.RelayCounters;
import java.util.List;

/**
 * Lifecycle events of the gateway (STYLE habit 6): protocol code publishes, metrics and logs
 * subscribe. Callbacks run on event-loop threads and must return quickly.
 */
public interface GatewayListener {

    GatewayListener NONE = new GatewayListener() { };

    /** A half finished both handshakes; relaying starts. */
    default void sessionUp(SessionInfo session, long setupNanos) {
    }

    /** A session that was up ended. */
    default void sessionClosed(SessionInfo session, CloseReason reason) {
    }

    /** A session ended before it was up. */
    default void setupFailed(SessionInfo session, SetupFailure failure, String detail, long elapsedNanos) {
    }

    /**
     * A connection was refused before any session existed (bad bytes on the name service or a
     * proxy port, a name the gateway does not route).
     *
     * @param listener {@code name_service} or {@code proxy}
     * @param reason   a short label (a ProtocolException reason or a fixed word)
     */
    default void connectionRefused(String site, String listener, String reason, String detail) {
    }

    /** The counters a relay between {@code localSite} and {@code peerSite} reports to. */
    default RelayCounters relayCounters(String localSite, String peerSite) {
        return RelayCounters.NONE;
    }

    /** Every event goes to each listener, in order. */
    static GatewayListener all(List<GatewayListener> listeners) {
        List<GatewayListener> copy = List.copyOf(listeners);
        return new GatewayListener() {
            @Override
            public void sessionUp(SessionInfo session, long setupNanos) {
                copy.forEach(l -> l.sessionUp(session, setupNanos));
            }

            @Override
            public void sessionClosed(SessionInfo session, CloseReason reason) {
                copy.forEach(l -> l.sessionClosed(session, reason));
            }

            @Override
            public void setupFailed(SessionInfo session, SetupFailure failure, String detail, long elapsedNanos) {
                copy.forEach(l -> l.setupFailed(session, failure, detail, elapsedNanos));
            }

            @Override
            public void connectionRefused(String site, String listener, String reason, String detail) {
                copy.forEach(l -> l.connectionRefused(site, listener, reason, detail));
            }

            @Override
            public RelayCounters relayCounters(String localSite, String peerSite) {
                List<RelayCounters> counters = copy.stream().map(l -> l.relayCounters(localSite, peerSite))
                        .filter(c -> c != RelayCounters.NONE).toList();
                if (counters.isEmpty()) {
                    return RelayCounters.NONE;
                }
                if (counters.size() == 1) {
                    return counters.get(0);
                }
                RelayCounters[] array = counters.toArray(RelayCounters[]::new);
                return new RelayCounters() {
                    @Override
                    public void packet(io.distgate.bridge.relay.Direction direction, int op, long bytes) {
                        for (RelayCounters c : array) {
                            c.packet(direction, op, bytes);
                        }
                    }

                    @Override
                    public void stall() {
                        for (RelayCounters c : array) {
                            c.stall();
                        }
                    }
                };
            }
        };
    }
}
