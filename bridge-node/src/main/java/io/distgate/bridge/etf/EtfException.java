package io.distgate.bridge.etf;

import io.distgate.bridge.dist.ProtocolException;

/**
 * A control message the gateway will not relay. {@link #reason()} is one of the constants below;
 * the message names the field, the limit and the value seen, with offsets counted from the start
 * of the term or packet body being scanned.
 */
public final class EtfException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    /** The bytes contradict the external term format itself (spec section 6). */
    public static final String MALFORMED = "malformed";
    /** A tag that has no place in a pass-through control message: unknown, or atom cache, compressed, local. */
    public static final String UNKNOWN_TAG = "unknown_tag";
    /** Nesting deeper than {@link EtfLimits#maxDepth()}. */
    public static final String TOO_DEEP = "too_deep";
    /** The control term outgrows {@link EtfLimits#maxControlBytes()}. */
    public static final String TOO_LARGE = "too_large";
    /** The packet is not a pass-through packet (section 4.1): a distribution header or another byte. */
    public static final String NOT_PASS_THROUGH = "not_pass_through";
    /** A well-formed term that is not a valid control message, or a packet that disagrees with its op (section 5). */
    public static final String BAD_CONTROL = "bad_control";

    EtfException(String reason, String message) {
        super(reason, message);
    }

    static EtfException malformed(String format, Object... args) {
        return new EtfException(MALFORMED, String.format(format, args));
    }

    static EtfException unknownTag(String format, Object... args) {
        return new EtfException(UNKNOWN_TAG, String.format(format, args));
    }

    static EtfException badControl(String format, Object... args) {
        return new EtfException(BAD_CONTROL, String.format(format, args));
    }
}
