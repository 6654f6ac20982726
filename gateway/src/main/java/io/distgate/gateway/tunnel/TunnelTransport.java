package io.distgate.gateway.tunnel;

import io.distgate.bridge.site.TunnelFarSite;

/** A gateway's tunnels to its peers, whatever carries them (TLS + HTTP/2, SSH). */
public interface TunnelTransport {

    /** Streams to {@code peerSite}, for its {@link TunnelFarSite}. */
    TunnelFarSite.Streams streamsTo(String peerSite);

    /** True while a tunnel to {@code peerSite} is usable. */
    boolean isUp(String peerSite);

    /** One line for the start-up log: transport, provider, where it listens. */
    String describe();

    /** Stops dialling and accepting, ends every tunnel after {@code drainMillis}. */
    void shutdown(long drainMillis);
}
