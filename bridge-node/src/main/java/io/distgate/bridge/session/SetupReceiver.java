package io.distgate.bridge.session;

import io.netty.util.concurrent.EventExecutor;

/** A half of a session, receiving the other half's setup messages on its own event loop. */
public interface SetupReceiver {

    /** The event loop {@link #onSetup} must run on. */
    EventExecutor executor();

    void onSetup(SetupMessage message);
}
