package io.distgate.bridge.session;

/**
 * Why a session ended before it was up. The label is a metric label and the word carried on the
 * tunnel, so this set stays small and stable.
 */
public enum SetupFailure {
    /** The dialled node is not registered with its site's EPMD. */
    UNKNOWN_NODE("unknown_node"),
    /** The dialled node's host, EPMD or port could not be reached. */
    UNREACHABLE("unreachable"),
    /** A node name does not belong where it claims to (patterns), or a far node answered not_allowed. */
    NOT_ALLOWED("not_allowed"),
    /** Short and long node names met. */
    NAME_MODE("name_mode_mismatch"),
    /** The two nodes cannot agree on flags (one requires what the other lacks). */
    FLAGS("flags_mismatch"),
    /** A node answered with a wrong digest: its cookie differs from its site's. */
    BAD_COOKIE("bad_cookie"),
    /** A node sent something the handshake does not allow. */
    PROTOCOL("protocol_error"),
    /** A step did not finish within its deadline. */
    TIMEOUT("timeout"),
    /** The dialled node refused with nok (simultaneous connect lost) or answered false to alive. */
    LOST_RACE("simultaneous_connect"),
    /** A node or the path between the halves closed during setup. */
    CLOSED("closed"),
    /** The gateway is shutting down. */
    SHUTDOWN("shutdown");

    private final String label;

    SetupFailure(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static SetupFailure ofLabel(String label) {
        for (SetupFailure f : values()) {
            if (f.label.equals(label)) {
                return f;
            }
        }
        return PROTOCOL;
    }
}
