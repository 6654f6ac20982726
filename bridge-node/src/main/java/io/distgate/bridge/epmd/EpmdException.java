package io.distgate.bridge.epmd;

import io.distgate.bridge.dist.ProtocolException;
import java.util.Optional;

/**
 * Bad EPMD input from a peer. The message names the message, the field, the limit and the value
 * seen; {@link #reason()} is one of the labels of {@link Reason}, a bounded set for metrics.
 */
public final class EpmdException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    /** Why the input was rejected; {@link #label()} is the metric label. */
    public enum Reason {
        /** A field has a value the protocol does not allow (wrong tag, bad UTF-8, NUL in a name). */
        MALFORMED("malformed"),
        /** A length is above a named limit. */
        OVERSIZED("oversized"),
        /** The request code is not one distgate serves. */
        UNKNOWN_REQUEST("unknown_request"),
        /** The input ended before a field was complete. */
        TRUNCATED("truncated"),
        /** Bytes follow a complete message; EPMD carries one message per direction and connection. */
        TRAILING_BYTES("trailing_bytes");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final int MAX_CAUSE_DEPTH = 16;

    private final Reason kind;

    public EpmdException(Reason kind, String message) {
        super(kind.label(), message);
        this.kind = kind;
    }

    public Reason kind() {
        return kind;
    }

    /** The same rejection with the operation and peer put in front, for the client's futures. */
    public EpmdException withContext(String context) {
        return new EpmdException(kind, context + ": " + getMessage());
    }

    /**
     * Finds the EPMD rejection in a cause chain. Netty's {@code ByteToMessageDecoder} wraps what a
     * decoder throws in a {@code DecoderException}, so a handler after {@link EpmdRequestDecoder}
     * uses this to get at the reason.
     */
    public static Optional<EpmdException> find(Throwable error) {
        // Bounded: a cause chain can, in principle, loop.
        Throwable t = error;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof EpmdException epmd) {
                return Optional.of(epmd);
            }
        }
        return Optional.empty();
    }
}
