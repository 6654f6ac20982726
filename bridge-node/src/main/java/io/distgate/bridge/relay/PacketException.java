package io.distgate.bridge.relay;

import io.distgate.bridge.dist.ProtocolException;

/** A distribution packet on a leg broke the framing rules after the handshake. */
public final class PacketException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    public PacketException(String reason, String message) {
        super(reason, message);
    }
}
