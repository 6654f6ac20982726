package io.distgate.bridge.session;

import io.distgate.bridge.relay.CloseReason;
import io.netty.channel.Channel;
import java.util.function.Consumer;

/**
 * One half's handle on the other half of its session, whatever carries it: a call within one
 * gateway process, or a stream of a tunnel between two gateways.
 */
public interface SessionLink {

    /** Delivers a setup message to the other half, in order. */
    void send(SetupMessage message);

    /**
     * This half's leg finished its handshake and its pipeline ends with a RelayHandler; relaying
     * starts as soon as the link has both ends. {@code onEnd} runs once, with the reason, when
     * the relayed path closes.
     */
    void established(Channel leg, Consumer<CloseReason> onEnd);

    /** Ends the session before it is up; the other half receives a Refuse. */
    void close(SetupFailure failure, String detail);
}
