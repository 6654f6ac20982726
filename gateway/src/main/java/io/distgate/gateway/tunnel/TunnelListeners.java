package io.distgate.gateway.tunnel;

import java.util.List;

/** Several tunnel listeners as one: each event goes to each, in order. */
public final class TunnelListeners implements TunnelListener {

    private final List<TunnelListener> listeners;

    public TunnelListeners(List<TunnelListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void tunnelUp(String peerSite, String role, String remote, String security) {
        listeners.forEach(l -> l.tunnelUp(peerSite, role, remote, security));
    }

    @Override
    public void tunnelDown(String peerSite, String role, String reason) {
        listeners.forEach(l -> l.tunnelDown(peerSite, role, reason));
    }

    @Override
    public void tunnelDraining(String peerSite, String role, String reason) {
        listeners.forEach(l -> l.tunnelDraining(peerSite, role, reason));
    }

    @Override
    public void roundTrip(String peerSite, long nanos) {
        listeners.forEach(l -> l.roundTrip(peerSite, nanos));
    }

    @Override
    public void reconnectScheduled(String peerSite, long delayMillis, String cause) {
        listeners.forEach(l -> l.reconnectScheduled(peerSite, delayMillis, cause));
    }

    @Override
    public void authFailure(String transport, String reason, String detail) {
        listeners.forEach(l -> l.authFailure(transport, reason, detail));
    }
}
