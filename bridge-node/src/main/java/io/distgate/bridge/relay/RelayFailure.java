package io.distgate.bridge.relay;

import io.distgate.bridge.dist.ProtocolException;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;

/** Turns what a channel threw into the reason recorded when it is closed. */
public final class RelayFailure {

    private RelayFailure() {
    }

    public static CloseReason describe(Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof ProtocolException p) {
            return new CloseReason(CloseReason.PROTOCOL, p.reason() + ": " + p.getMessage());
        }
        if (root instanceof IOException) {
            return new CloseReason(CloseReason.IO, String.valueOf(root.getMessage()));
        }
        return new CloseReason(CloseReason.PROTOCOL, root.getClass().getSimpleName() + ": " + root.getMessage());
    }
}
