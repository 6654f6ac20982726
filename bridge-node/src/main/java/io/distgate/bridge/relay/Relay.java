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
        RelayHandler ra = requireRelay(a);
        RelayHandler rb = requireRelay(b);
        AtomicBoolean ended = new AtomicBoolean();
        Consumer<CloseReason> once = reason -> {
            if (ended.compareAndSet(false, true)) {
                onEnd.accept(reason);
            }
        };
        a.eventLoop().execute(() -> ra.start(b, (ch, reason) -> once.accept(reason)));
        b.eventLoop().execute(() -> rb.start(a, (ch, reason) -> once.accept(reason)));
    }

    private static RelayHandler requireRelay(Channel channel) {
        RelayHandler handler = channel.pipeline().get(RelayHandler.class);
        if (handler == null) {
            throw new IllegalStateException("channel " + channel + " has no RelayHandler");
        }
        return handler;
    }
}
