package io.distgate.bridge.session;

import io.distgate.bridge.relay.CloseReason;
import java.util.ArrayList;
import java.util.List;

/** Collects lifecycle events for assertions. */
final class RecordingListener implements GatewayListener {

    final List<SessionInfo> up = new ArrayList<>();
    final List<SetupFailure> failures = new ArrayList<>();
    final List<String> refusals = new ArrayList<>();
    final List<CloseReason> closed = new ArrayList<>();

    @Override
    public void sessionUp(SessionInfo session, long setupNanos) {
        up.add(session);
    }

    @Override
    public void sessionClosed(SessionInfo session, CloseReason reason) {
        closed.add(reason);
    }

    @Override
    public void setupFailed(SessionInfo session, SetupFailure failure, String detail, long elapsedNanos) {
        failures.add(failure);
    }

    @Override
    public void connectionRefused(String site, String listener, String reason, String detail) {
        refusals.add(listener + ":" + reason + ":" + detail);
    }
}
