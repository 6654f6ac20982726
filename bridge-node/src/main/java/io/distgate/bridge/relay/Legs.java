package io.distgate.bridge.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.AttributeKey;

/**
 * Closing a channel with a reason. The first reason recorded wins, so when one leg dies and takes
 * the rest of the path with it, every part reports why the path ended, not merely that its peer
 * closed.
 */
public final class Legs {

    private static final AttributeKey<CloseReason> CLOSE_REASON = AttributeKey.valueOf("distgate.closeReason");

    private Legs() {
    }

    /** Records {@code reason} (unless one is already recorded) and closes the channel. */
    public static ChannelFuture close(Channel channel, CloseReason reason) {
        markReason(channel, reason);
        return channel.close();
    }

    /** The reason recorded for closing, or {@code fallback} when the channel closed by itself. */
    public static CloseReason closeReason(Channel channel, CloseReason fallback) {
        CloseReason reason = channel.attr(CLOSE_REASON).get();
        return reason != null ? reason : fallback;
    }

    /** Records a reason without closing, for a channel about to close through another path. */
    public static void markReason(Channel channel, CloseReason reason) {
        channel.attr(CLOSE_REASON).setIfAbsent(reason);
    }
}
