package io.distgate.gateway.ssh;

import io.distgate.gateway.tunnel.TunnelListener;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * WAN liveness of one SSH session (D7): a {@code keepalive@openssh.com} global request with
 * want-reply every ping interval; every reply (success or failure: OpenSSH answers failure) is
 * an RTT sample; a session without a reply for {@code deadAfter} is closed at once, and with it
 * every channel, so every session over it ends at both gateways.
 */
final class SshLiveness {

    static final String KEEPALIVE = "keepalive@openssh.com";

    private final Session session;
    private final String peerSite;
    private final long pingNanos;
    private final long deadAfterNanos;
    private final EventExecutor timer;
    private final TunnelListener listener;
    /** Death is checked this often, so it is noticed within this much of dead_after whatever the ping interval. */
    static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private volatile long lastHeard;
    private long lastSent;
    private ScheduledFuture<?> task;

    SshLiveness(Session session, String peerSite, long pingNanos, long deadAfterNanos, EventExecutor timer,
            TunnelListener listener) {
        this.session = session;
        this.peerSite = peerSite;
        this.pingNanos = pingNanos;
        this.deadAfterNanos = deadAfterNanos;
        this.timer = timer;
        this.listener = listener;
    }

    void start() {
        lastHeard = System.nanoTime();
        lastSent = lastHeard;
        long check = Math.min(pingNanos, CHECK_NANOS);
        task = timer.scheduleAtFixedRate(this::tick, check, check, TimeUnit.NANOSECONDS);
        session.addCloseFutureListener(f -> stop());
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void tick() {
        long now = System.nanoTime();
        if (!session.isOpen()) {
            stop();
            return;
        }
        if (now - lastHeard >= deadAfterNanos) {
            stop();
            listener.tunnelDown(peerSite, "ssh", "no answer from site " + peerSite + " for "
                    + TimeUnit.NANOSECONDS.toMillis(now - lastHeard) + " ms");
            session.close(true);
            return;
        }
        if (now - lastSent < pingNanos) {
            return;
        }
        lastSent = now;
        try {
            Buffer request = session.createBuffer(SshConstants.SSH_MSG_GLOBAL_REQUEST, KEEPALIVE.length() + 16);
            request.putString(KEEPALIVE);
            request.putBoolean(true);
            long sent = System.nanoTime();
            session.request(request, KEEPALIVE, (code, reply) -> {
                long at = System.nanoTime();
                lastHeard = at;
                listener.roundTrip(peerSite, at - sent);
            });
        } catch (IOException e) {
            session.close(true);
        }
    }
}
