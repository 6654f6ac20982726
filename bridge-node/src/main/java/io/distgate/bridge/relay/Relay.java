package io.distgate.bridge.relay;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Joins two channels whose pipelines end with a {@link RelayHandler}: two legs of one session in
 * a single gateway, or a leg and a tunnel stream. When either side closes, the other is flushed
 * and closed, and {@code onEnd} runs once with the reason of whichever closed first.
 */
public final class Relay {

    private Relay() {
    }

    public static void join(Channel a, Channel b, Consumer<CloseReason> onEnd) {
        RelayHandler ra = relayOf(a);
        RelayHandler rb = relayOf(b);
        if (ra == null || rb == null) {
            endBeforeStart(ra == null ? a : b, ra == null ? b : a, onEnd);
            return;
        }
        AtomicBoolean ended = new AtomicBoolean();
        Consumer<CloseReason> once = reason -> {
            if (ended.compareAndSet(false, true)) {
                onEnd.accept(reason);
            }
        };
        a.eventLoop().execute(() -> ra.start(b, (ch, reason) -> once.accept(reason)));
        b.eventLoop().execute(() -> rb.start(a, (ch, reason) -> once.accept(reason)));
    }

    /**
     * A leg that closed before the join has lost its handlers by now (Netty empties the pipeline
     * of a channel once it is closed and deregistered): end the path as {@link RelayHandler}
     * would have, on the other leg's event loop, with the closed leg's reason.
     */
    private static void endBeforeStart(Channel closed, Channel other, Consumer<CloseReason> onEnd) {
        other.eventLoop().execute(() -> {
            CloseReason reason = Legs.closeReason(closed, CloseReason.closed("closed before the relay started"));
            Legs.close(other, reason);
            onEnd.accept(reason);
        });
    }

    /** The channel's RelayHandler, or null if the channel is closed and its pipeline emptied. */
    private static RelayHandler relayOf(Channel channel) {
        RelayHandler handler = channel.pipeline().get(RelayHandler.class);
        if (handler == null && channel.isOpen()) {
            throw new IllegalStateException("channel " + channel + " has no RelayHandler");
        }
        return handler;
    }
}
