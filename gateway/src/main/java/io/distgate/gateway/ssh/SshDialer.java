package io.distgate.gateway.ssh;

import io.distgate.gateway.config.HostPort;
import io.distgate.gateway.config.SshPeerConfig;
import io.distgate.gateway.config.TunnelConfig;
import io.distgate.gateway.tunnel.TunnelListener;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * Keeps an SSH session to one peer (its gateway's embedded server, or an OpenSSH bastion) up,
 * with two forwards on it: a local one whose far end is the peer's stream port (this gateway's
 * streams), and a remote one that brings the peer's reverse port back to this gateway's own
 * stream endpoint (the peer's streams). Connect, login and forwarding requests block, so they
 * run on a thread of their own; a lost session is dialled again with exponential backoff and
 * jitter, as for TLS.
 */
final class SshDialer {

    private final String peerSite;
    private final HostPort address;
    private final String user;
    private final KeyPair identity;
    private final SshClient client;
    private final SshPeerConfig ports;
    private final InetSocketAddress ownEndpoint;
    private final TunnelConfig config;
    private final TunnelListener listener;
    private final EventLoopGroup timers;
    private final ScheduledExecutorService worker;
    private volatile ClientSession session;
    private volatile InetSocketAddress localForward;
    private volatile boolean stopped;
    private int failures;

    SshDialer(String peerSite, HostPort address, String user, KeyPair identity, SshClient client, SshPeerConfig ports,
            InetSocketAddress ownEndpoint, TunnelConfig config, TunnelListener listener, EventLoopGroup timers) {
        this.peerSite = peerSite;
        this.address = address;
        this.user = user;
        this.identity = identity;
        this.client = client;
        this.ports = ports;
        this.ownEndpoint = ownEndpoint;
        this.config = config;
        this.listener = listener;
        this.timers = timers;
        this.worker = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("ssh-dial-" + peerSite, true));
    }

    void start() {
        worker.execute(this::dial);
    }

    boolean isUp() {
        ClientSession s = session;
        return s != null && s.isOpen() && localForward != null;
    }

    /** The local end of the forward to the peer's stream port, or null while down. */
    InetSocketAddress localForward() {
        return isUp() ? localForward : null;
    }

    private void dial() {
        if (stopped) {
            return;
        }
        ClientSession s = null;
        try {
            long timeout = config.handshakeTimeout().toMillis();
            s = client.connect(user, address.host(), address.port()).verify(timeout).getSession();
            s.addPublicKeyIdentity(identity);
            s.auth().verify(timeout);
            ExplicitPortForwardingTracker local = s.createLocalPortForwardingTracker(
                    new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress("127.0.0.1", ports.streamPort()));
            s.createRemotePortForwardingTracker(new SshdSocketAddress("127.0.0.1", ports.reversePort()),
                    new SshdSocketAddress("127.0.0.1", ownEndpoint.getPort()));
            SshdSocketAddress bound = local.getBoundAddress();
            localForward = new InetSocketAddress(bound.getHostName(), bound.getPort());
            session = s;
            failures = 0;
            listener.tunnelUp(peerSite, "dialled", address.toString(), "SSH " + s.getNegotiatedKexParameter(KexProposalOption.C2SENC));
            new SshLiveness(s, peerSite, config.pingInterval().toNanos(), config.deadAfter().toNanos(), timers.next(), listener)
                    .start();
            ClientSession established = s;
            s.addCloseFutureListener(f -> {
                if (session == established) {
                    session = null;
                    localForward = null;
                    listener.tunnelDown(peerSite, "dialled", "SSH session closed");
                    retry("SSH session to " + address + " closed");
                }
            });
        } catch (Exception e) {
            if (s != null) {
                s.close(true);
            }
            if (isAuthentication(e)) {
                listener.authFailure("ssh", "auth_rejected", "site " + peerSite + " at " + address + " refused the login as '"
                        + user + "': " + e.getMessage());
            }
            retry("cannot reach site " + peerSite + " over SSH at " + address + ": " + e.getMessage());
        }
    }

    private static boolean isAuthentication(Exception e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("No more authentication methods") || m.contains("authentication");
    }

    private void retry(String cause) {
        if (stopped) {
            return;
        }
        long min = config.reconnectMin().toMillis();
        long max = config.reconnectMax().toMillis();
        long base = Math.min(max, min << Math.min(failures, 20));
        long delay = base + (long) (base * 0.2 * ThreadLocalRandom.current().nextDouble());
        failures++;
        listener.reconnectScheduled(peerSite, delay, cause);
        worker.schedule(this::dial, delay, TimeUnit.MILLISECONDS);
    }

    void stop() {
        stopped = true;
        ClientSession s = session;
        if (s != null) {
            s.close(true);
        }
        worker.shutdownNow();
    }
}
