package io.distgate.gateway.tunnel;

/** Tunnel lifecycle events; logs and metrics subscribe (STYLE habit 6). */
public interface TunnelListener {

    /**
     * A tunnel to {@code peerSite} is up.
     *
     * @param role     dialled (this gateway is the HTTP/2 client) or accepted
     * @param security what protects it, e.g. {@code TLSv1.3 TLS_AES_128_GCM_SHA256}
     */
    default void tunnelUp(String peerSite, String role, String remote, String security) {
    }

    default void tunnelDown(String peerSite, String role, String reason) {
    }

    /** The peer sent GOAWAY: no new streams on this tunnel, running sessions go on for now. */
    default void tunnelDraining(String peerSite, String role, String reason) {
    }

    /** One liveness round trip (every HTTP/2 PING or SSH keepalive answered). */
    default void roundTrip(String peerSite, long nanos) {
    }

    default void reconnectScheduled(String peerSite, long delayMillis, String cause) {
    }

    /**
     * A peer gateway was refused before any tunnel existed.
     *
     * @param reason a short label: unknown_ca, no_certificate, expired_certificate, wrong_site, ...
     */
    default void authFailure(String transport, String reason, String detail) {
    }
}
