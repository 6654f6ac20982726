package io.distgate.bridge.etf;

import java.util.Locale;

/**
 * Distribution operations, the first element of every control tuple (reference section 5;
 * erl_dist_protocol "Protocol between Connected Nodes", erts {@code dist.h} {@code enum dop}).
 * Codes 9, 10, 11, 14, 15 and 17 are unassigned; they and codes above 37 are {@link #UNKNOWN},
 * which the gateway relays but cannot check further.
 */
public enum ControlOp {

    LINK(1, 3, false),
    SEND(2, 3, true),
    EXIT(3, 4, false),
    UNLINK(4, 3, false),
    NODE_LINK(5, 1, false),
    REG_SEND(6, 4, true),
    GROUP_LEADER(7, 3, false),
    EXIT2(8, 4, false),
    SEND_TT(12, 4, true),
    EXIT_TT(13, 5, false),
    REG_SEND_TT(16, 5, true),
    EXIT2_TT(18, 5, false),
    MONITOR_P(19, 4, false),
    DEMONITOR_P(20, 4, false),
    MONITOR_P_EXIT(21, 5, false),
    SEND_SENDER(22, 3, true),
    SEND_SENDER_TT(23, 4, true),
    PAYLOAD_EXIT(24, 3, true),
    PAYLOAD_EXIT_TT(25, 4, true),
    PAYLOAD_EXIT2(26, 3, true),
    PAYLOAD_EXIT2_TT(27, 4, true),
    PAYLOAD_MONITOR_P_EXIT(28, 4, true),
    SPAWN_REQUEST(29, 6, true),
    SPAWN_REQUEST_TT(30, 7, true),
    SPAWN_REPLY(31, 5, false),
    SPAWN_REPLY_TT(32, 6, false),
    ALIAS_SEND(33, 3, true),
    ALIAS_SEND_TT(34, 4, true),
    UNLINK_ID(35, 4, false),
    UNLINK_ID_ACK(36, 4, false),
    /** OTP 28: flag bit 2 says whether a trace token makes it a 5-tuple. */
    ALTACT_SIG_SEND(37, 4, 5, true),
    /** Any other op code; any arity, and what follows the control term is not checked. */
    UNKNOWN(-1, 1, Integer.MAX_VALUE, false);

    private static final ControlOp[] BY_CODE = new ControlOp[38];

    static {
        java.util.Arrays.fill(BY_CODE, UNKNOWN);
        for (ControlOp op : values()) {
            if (op != UNKNOWN) {
                BY_CODE[op.code] = op;
            }
        }
    }

    private final int code;
    private final int minArity;
    private final int maxArity;
    private final boolean payload;
    private final String label;

    ControlOp(int code, int arity, boolean payload) {
        this(code, arity, arity, payload);
    }

    ControlOp(int code, int minArity, int maxArity, boolean payload) {
        this.code = code;
        this.minArity = minArity;
        this.maxArity = maxArity;
        this.payload = payload;
        this.label = name().toLowerCase(Locale.ROOT);
    }

    /** The op for a code read from the wire; {@link #UNKNOWN} for anything unassigned. */
    public static ControlOp ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }

    /** The op code, or -1 for {@link #UNKNOWN}. */
    public int code() {
        return code;
    }

    /** Tuple arity including the op element; equal to {@link #maxArity()} except for ALTACT_SIG_SEND. */
    public int minArity() {
        return minArity;
    }

    public int maxArity() {
        return maxArity;
    }

    public boolean acceptsArity(long arity) {
        return arity >= minArity && arity <= maxArity;
    }

    /** Whether a payload term (message, exit reason, spawn arguments) follows the control term. */
    public boolean takesPayload() {
        return payload;
    }

    /** Lower snake case name for metric tags: {@code send}, {@code reg_send}, {@code unknown}. */
    public String label() {
        return label;
    }
}
