package io.distgate.gateway.local;

/** An expression sent to a node's agent failed, timed out, or the node went away. */
public final class ErlangEvalException extends RuntimeException {
    private final String erlangError;

    ErlangEvalException(String message, String erlangError) {
        super(message);
        this.erlangError = erlangError;
    }

    ErlangEvalException(ErlangEvalException cause) {
        super(cause.getMessage(), cause);
        this.erlangError = cause.erlangError;
    }

    /**
     * The agent's {@code Class:Reason} text (e.g. {@code error:badarith}), or an empty
     * string when the failure was a timeout or the node's exit.
     */
    public String erlangError() {
        return erlangError;
    }
}
