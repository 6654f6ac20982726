package io.distgate.it.harness;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import java.util.function.Consumer;

/**
 * One connection through a {@link WanRelay}: the channel the relay accepted from the client and
 * the one it opened to the target (none when it was accepted during a cut). Both live on one
 * event loop; the fields here are read by the test thread too, hence volatile.
 */
final class RelayedConnection {

    private final Channel client;
    private final Consumer<RelayedConnection> onClosed;
    private volatile Channel target;
    private volatile boolean silenced;

    /** {@code onClosed} runs once both channels are closed, possibly more than once. */
    RelayedConnection(Channel client, Consumer<RelayedConnection> onClosed) {
        this.client = client;
        this.onClosed = onClosed;
        client.closeFuture().addListener(closed -> closedOneSide());
    }

    void target(Channel channel) {
        target = channel;
        channel.closeFuture().addListener(closed -> closedOneSide());
    }

    /**
     * From now on nothing passes either way, and a close of one end is not passed on either: the
     * other endpoint must notice the silence itself, as it would on a real cut.
     */
    void silence() {
        silenced = true;
    }

    boolean silenced() {
        return silenced;
    }

    /** Closes both ends at once. */
    void close() {
        client.close();
        Channel channel = target;
        if (channel != null) {
            channel.close();
        }
    }

    /** Resets both ends: SO_LINGER 0 makes the close send RST, and discards what is unsent. */
    void reset() {
        reset(client);
        Channel channel = target;
        if (channel != null) {
            reset(channel);
        }
    }

    private static void reset(Channel channel) {
        try {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (ChannelException alreadyClosed) {
            return; // closed by the other side meanwhile: nothing left to reset
        }
        channel.close();
    }

    private void closedOneSide() {
        Channel channel = target;
        if (!client.isOpen() && (channel == null || !channel.isOpen())) {
            onClosed.accept(this);
        }
    }
}
