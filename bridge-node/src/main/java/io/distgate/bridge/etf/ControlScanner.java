package io.distgate.bridge.etf;

import static io.distgate.bridge.etf.ExternalTags.*;

import io.netty.buffer.ByteBuf;

/**
 * Validates the control message at the start of a pass-through packet and names its operation
 * (reference sections 4.1 and 5): {@code 112} · {@code 131} control tuple · optional {@code 131}
 * payload term. The payload is not decoded; only its presence and version byte are checked.
 *
 * <p>Results without allocation: {@link #scan} returns the op code, or {@link #INCOMPLETE}, and
 * this instance holds the {@link #op()} and {@link #controlEnd()} of the last complete scan until
 * the next one. Error offsets count from the packet body's first byte (the PASS_THROUGH tag).
 *
 * <p>Not thread-safe: keep one instance per connection direction.
 */
public final class ControlScanner {

    public static final int INCOMPLETE = EtfScanner.INCOMPLETE;

    /** Enough for {@link #peekOp}: 112, 131, LARGE_TUPLE_EXT with Arity(4), INTEGER_EXT with Int(4). */
    public static final int PEEK_BYTES = 12;

    /** The 4-byte length field's largest value (section 4.1). */
    private static final long MAX_PACKET_LENGTH = 0xFFFF_FFFFL;

    /** The control tuple's tag follows PASS_THROUGH and the version byte. */
    private static final int TUPLE_OFFSET = 2;

    private final EtfScanner terms;
    private ControlOp op = ControlOp.UNKNOWN;
    private int controlEnd = INCOMPLETE;

    public ControlScanner(EtfLimits limits) {
        this.terms = new EtfScanner(limits);
    }

    /**
     * Scans the control message of one packet.
     *
     * @param index  first byte of the packet body, just after its 4-byte length
     * @param end    end of the bytes available so far; bytes past the packet are ignored
     * @param length the packet's declared length, 1 to 2^32 - 1; ticks (length 0) carry no
     *               control message and are the framing layer's to handle
     * @return the op code (0 or more; unassigned codes too, with {@link #op()} UNKNOWN), or
     *         {@link #INCOMPLETE} when the control term is not yet complete
     * @throws EtfException when the bytes seen so far cannot start a valid control message
     */
    public int scan(ByteBuf buf, int index, int end, long length) {
        if (index < 0 || end < index || length < 1 || length > MAX_PACKET_LENGTH) {
            throw new IllegalArgumentException(
                    "index " + index + ", end " + end + " and length " + length + " do not describe a packet");
        }
        op = ControlOp.UNKNOWN;
        controlEnd = INCOMPLETE;
        long packetEnd = index + length;
        int limit = (int) Math.min(packetEnd, Integer.MAX_VALUE);
        int available = Math.min(end, limit);
        if (!hasPrefix(buf, index, available, packetEnd)) {
            return INCOMPLETE;
        }
        // The header alone can prove the wrong shape, so do not wait for the rest of the term.
        int code = opAt(buf, index, available);
        if (code != INCOMPLETE) {
            checkArity(buf, index, code);
        }
        int termEnd = terms.skip(buf, index + TUPLE_OFFSET, available, limit, index);
        if (termEnd == INCOMPLETE) {
            return INCOMPLETE;
        }
        // A complete term includes its op element, so the code was read above.
        ControlOp found = ControlOp.ofCode(code);
        checkPayload(found, buf, index, termEnd, available, packetEnd);
        op = found;
        controlEnd = termEnd;
        return code;
    }

    /** The op of the last complete {@link #scan}; UNKNOWN before one or after INCOMPLETE. */
    public ControlOp op() {
        return op;
    }

    /**
     * Index just after the control term of the last complete {@link #scan}, where the payload
     * term starts if there is one; {@link #INCOMPLETE} before one or after INCOMPLETE.
     */
    public int controlEnd() {
        return controlEnd;
    }

    /**
     * Reads only the op code from the first {@link #PEEK_BYTES} bytes or fewer of a packet body,
     * for counting packets without validating them.
     *
     * @return the op code, or {@link #INCOMPLETE} if the op is not within {@code index..end}
     * @throws EtfException if those bytes are not the start of a pass-through control tuple
     */
    public static int peekOp(ByteBuf buf, int index, int end) {
        return hasPrefix(buf, index, end, Long.MAX_VALUE) ? opAt(buf, index, end) : INCOMPLETE;
    }

    /**
     * Checks PASS_THROUGH and the control term's version byte as far as they are available:
     * true once both are present and right, false while one is still to come.
     */
    private static boolean hasPrefix(ByteBuf buf, int index, int available, long packetEnd) {
        if (available <= index) {
            return false;
        }
        int first = buf.getUnsignedByte(index);
        if (first != PASS_THROUGH) {
            throw notPassThrough(buf, index, available, first);
        }
        if (packetEnd <= index + 1) {
            throw EtfException.malformed("packet of length 1 ends before the control message's version byte");
        }
        if (available <= index + 1) {
            return false;
        }
        int version = buf.getUnsignedByte(index + 1);
        if (version != VERSION_MAGIC) {
            throw EtfException.malformed("control message starts with byte %d at offset 1, expected version %d",
                    version, VERSION_MAGIC);
        }
        return true;
    }

    /**
     * The gateway never negotiates DIST_HDR_ATOM_CACHE or FRAGMENTS (section 3.3), so a peer that
     * sends a distribution header disagrees with the handshake.
     */
    private static EtfException notPassThrough(ByteBuf buf, int index, int available, int first) {
        if (first == VERSION_MAGIC) {
            String header = available > index + 1
                    ? "131 " + buf.getUnsignedByte(index + 1) : "131";
            return new EtfException(EtfException.NOT_PASS_THROUGH, "packet starts with a distribution header ("
                    + header + ") instead of PASS_THROUGH (112); DIST_HDR_ATOM_CACHE and FRAGMENTS"
                    + " are never negotiated across the gateway");
        }
        return new EtfException(EtfException.NOT_PASS_THROUGH,
                "packet starts with byte " + first + ", expected PASS_THROUGH (112)");
    }

    /**
     * The op element of the control tuple whose tag is at {@code index + 2}: a SMALL_INTEGER_EXT,
     * or an INTEGER_EXT that is not negative (section 5: "the operation code (small integer)").
     */
    private static int opAt(ByteBuf buf, int index, int available) {
        int tuple = index + TUPLE_OFFSET;
        if (available <= tuple) {
            return INCOMPLETE;
        }
        int tag = buf.getUnsignedByte(tuple);
        int header = tag == SMALL_TUPLE_EXT ? 2 : tag == LARGE_TUPLE_EXT ? 5 : 0;
        if (header == 0) {
            throw EtfException.badControl("control message must be a tuple, found %s at offset %d",
                    ExternalTags.describe(tag), TUPLE_OFFSET);
        }
        int first = tuple + header;
        if (available < first) {
            return INCOMPLETE;
        }
        long arity = header == 2 ? buf.getUnsignedByte(tuple + 1) : buf.getUnsignedInt(tuple + 1);
        if (arity == 0) {
            throw EtfException.badControl("control message is an empty tuple at offset %d", TUPLE_OFFSET);
        }
        if (available <= first) {
            return INCOMPLETE;
        }
        int opTag = buf.getUnsignedByte(first);
        if (opTag == SMALL_INTEGER_EXT) {
            return available < first + 2 ? INCOMPLETE : buf.getUnsignedByte(first + 1);
        }
        if (opTag == INTEGER_EXT) {
            if (available < first + 5) {
                return INCOMPLETE;
            }
            int code = buf.getInt(first + 1);
            if (code < 0) {
                throw EtfException.badControl("control message op %d at offset %d is negative",
                        code, first - index);
            }
            return code;
        }
        throw EtfException.badControl(
                "control message op must be SMALL_INTEGER_EXT or INTEGER_EXT, found %s at offset %d",
                ExternalTags.describe(opTag), first - index);
    }

    /** Section 5 gives each op its tuple arity, the op element included. */
    private static void checkArity(ByteBuf buf, int index, int code) {
        ControlOp op = ControlOp.ofCode(code);
        int tuple = index + TUPLE_OFFSET;
        long arity = buf.getUnsignedByte(tuple) == SMALL_TUPLE_EXT
                ? buf.getUnsignedByte(tuple + 1) : buf.getUnsignedInt(tuple + 1);
        if (!op.acceptsArity(arity)) {
            String expected = op.minArity() == op.maxArity()
                    ? String.valueOf(op.minArity()) : op.minArity() + " or " + op.maxArity();
            throw EtfException.badControl("%s (%d) control tuple has arity %d, expected %s",
                    op, code, arity, expected);
        }
    }

    /**
     * Section 5: ops marked with a payload carry a second term, which like the control term
     * starts with 131 (section 4.1); the others end with the control term. Only bytes already
     * available are checked, so a payload op completes as soon as its control term does.
     */
    private static void checkPayload(ControlOp op, ByteBuf buf, int index, int termEnd, int available,
                                     long packetEnd) {
        if (op == ControlOp.UNKNOWN) {
            return;
        }
        if (!op.takesPayload()) {
            if (termEnd != packetEnd) {
                long extra = packetEnd - termEnd;
                throw EtfException.badControl("%s takes no payload, but %d %s its control message at offset %d",
                        op, extra, extra == 1 ? "byte follows" : "bytes follow", termEnd - index);
            }
            return;
        }
        if (termEnd >= packetEnd) {
            throw EtfException.badControl(
                    "%s takes a payload, but the packet ends with its control message at offset %d",
                    op, termEnd - index);
        }
        if (termEnd < available && buf.getUnsignedByte(termEnd) != VERSION_MAGIC) {
            throw EtfException.badControl("%s payload starts with byte %d at offset %d, expected version %d",
                    op, buf.getUnsignedByte(termEnd), termEnd - index, VERSION_MAGIC);
        }
    }
}
