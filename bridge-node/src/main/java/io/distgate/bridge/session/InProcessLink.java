package io.distgate.bridge.session;

import io.distgate.bridge.relay.CloseReason;
import io.distgate.bridge.relay.Relay;
import io.distgate.bridge.session.SetupMessage.Refuse;
import io.netty.channel.Channel;
import java.util.function.Consumer;

/**
 * Both halves of a session in one gateway process: setup messages are handed over on the
 * receiver's event loop, and once both legs are up they are relayed straight into each other,
 * so the node sockets themselves carry the backpressure (D8).
 */
public final class InProcessLink {

    private final SetupReceiver near;
    private SetupReceiver far;
    private Channel nearLeg;
    private Channel farLeg;
    private Consumer<CloseReason> onNearEnd;
    private Consumer<CloseReason> onFarEnd;

    public InProcessLink(SetupReceiver near) {
        this.near = near;
    }

    /** Attaches the far half; call before any message flows. */
    public void attachFar(SetupReceiver far) {
        this.far = far;
    }

    private final SessionLink nearEnd = new SessionLink() {
        @Override
        public void send(SetupMessage message) {
            deliver(far, message);
        }

        @Override
        public void established(Channel leg, Consumer<CloseReason> onEnd) {
            nearUp(leg, onEnd);
        }

        @Override
        public void close(SetupFailure failure, String detail) {
            deliver(far, new Refuse(failure, detail));
        }
    };

    private final SessionLink farEnd = new SessionLink() {
        @Override
        public void send(SetupMessage message) {
            deliver(near, message);
        }

        @Override
        public void established(Channel leg, Consumer<CloseReason> onEnd) {
            farUp(leg, onEnd);
        }

        @Override
        public void close(SetupFailure failure, String detail) {
            deliver(near, new Refuse(failure, detail));
        }
    };

    /** The near half's handle on the far half. */
    public SessionLink nearEnd() {
        return nearEnd;
    }

    /** The far half's handle on the near half. */
    public SessionLink farEnd() {
        return farEnd;
    }

    private static void deliver(SetupReceiver to, SetupMessage message) {
        if (to.executor() != null) {
            to.executor().execute(() -> to.onSetup(message));
        } else {
            to.onSetup(message);
        }
    }

    private synchronized void nearUp(Channel leg, Consumer<CloseReason> onEnd) {
        nearLeg = leg;
        onNearEnd = onEnd;
        joinWhenBoth();
    }

    private synchronized void farUp(Channel leg, Consumer<CloseReason> onEnd) {
        farLeg = leg;
        onFarEnd = onEnd;
        joinWhenBoth();
    }

    private void joinWhenBoth() {
        if (nearLeg != null && farLeg != null) {
            Consumer<CloseReason> n = onNearEnd;
            Consumer<CloseReason> f = onFarEnd;
            Relay.join(nearLeg, farLeg, reason -> {
                n.accept(reason);
                f.accept(reason);
            });
        }
    }
}
