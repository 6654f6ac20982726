package io.distgate.gateway;

import io.distgate.bridge.etf.ControlOp;
import io.distgate.bridge.relay.CloseReason;
import io.distgate.bridge.relay.Direction;
import io.distgate.bridge.relay.RelayCounters;
import io.distgate.bridge.session.GatewayListener;
import io.distgate.bridge.session.SessionInfo;
import io.distgate.bridge.session.SetupFailure;
import io.distgate.metrics.Meters;
import io.distgate.metrics.RelayMeters;

/** Turns the bridge's lifecycle events into meters of the catalogue. */
final class MetricsListener implements GatewayListener {

    /** Metric label of each control operation, indexed by its code; index 0 is "unknown". */
    private static final String[] OP_LABELS = opLabels();


    private final Meters meters;

    MetricsListener(Meters meters) {
        this.meters = meters;
    }

    @Override
    public void sessionUp(SessionInfo session, long setupNanos) {
        meters.sessionUp(session.localSite(), session.peerSite(), setupNanos);
    }

    @Override
    public void sessionClosed(SessionInfo session, CloseReason reason) {
        meters.sessionClosed(session.localSite(), session.peerSite(), reason.label());
    }

    @Override
    public void setupFailed(SessionInfo session, SetupFailure failure, String detail, long elapsedNanos) {
        meters.setupFailed(session.localSite(), session.peerSite(), session.role().name().toLowerCase(),
                failure.label(), elapsedNanos);
    }

    @Override
    public void connectionRefused(String site, String listener, String reason, String detail) {
        meters.connectionRefused(site, listener, reason);
    }

    @Override
    public RelayCounters relayCounters(String localSite, String peerSite) {
        RelayMeters relay = meters.relay(localSite, peerSite, OP_LABELS);
        return new RelayCounters() {
            @Override
            public void packet(Direction direction, int op, long bytes) {
                relay.packet(direction == Direction.OUT ? 0 : 1, op, bytes);
            }

            @Override
            public void stall() {
                meters.flowControlStall(peerSite);
            }
        };
    }

    static String[] opLabels() {
        int max = 0;
        for (ControlOp op : ControlOp.values()) {
            max = Math.max(max, op.code());
        }
        String[] labels = new String[max + 1];
        for (ControlOp op : ControlOp.values()) {
            if (op.code() > 0) {
                labels[op.code()] = op.label();
            }
        }
        labels[0] = ControlOp.UNKNOWN.label();
        return labels;
    }
}
