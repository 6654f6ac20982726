package io.distgate.bridge.session;

import io.distgate.bridge.dist.ProtocolException;

/** The other gateway broke the tunnel stream protocol (docs/tunnel-protocol.md). */
public final class StreamException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    public StreamException(String reason, String message) {
        super(reason, message);
    }
}
