package io.distgate.gateway.ssh;

import io.distgate.gateway.tunnel.TunnelListener;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Behind an OpenSSH server the listening gateway cannot see the peer's SSH session. The reverse
 * port is listened on by sshd only while that session is up, so a connect to it every ping
 * interval tells whether the tunnel is usable (the probe connection carries no stream and is
 * closed at once; the peer's endpoint sees a stream that ends before OPEN and ignores it).
 */
final class ReversePortProbe {

    private final InetSocketAddress reversePort;
    private final TunnelListener listener;
    private final String peerSite;
    private volatile boolean up;

    /** Probes on a thread of its own: a connect blocks, and must not on an event loop. */
    ReversePortProbe(InetSocketAddress reversePort, Duration interval, TunnelListener listener, String peerSite) {
        this.reversePort = reversePort;
        this.listener = listener;
        this.peerSite = peerSite;
        Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("ssh-probe-" + peerSite, true))
                .scheduleWithFixedDelay(this::probe, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isUp() {
        return up;
    }

    private void probe() {
        boolean now;
        try (Socket s = new Socket()) {
            s.connect(reversePort, 500);
            now = true;
        } catch (IOException e) {
            now = false;
        }
        if (now != up) {
            up = now;
            if (now) {
                listener.tunnelUp(peerSite, "accepted", "sshd reverse port " + reversePort, "SSH (through sshd)");
            } else {
                listener.tunnelDown(peerSite, "accepted", "sshd no longer forwards " + reversePort);
            }
        }
    }
}
