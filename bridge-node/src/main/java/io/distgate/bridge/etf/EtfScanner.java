package io.distgate.bridge.etf;

import static io.distgate.bridge.etf.ExternalTags.*;

import io.netty.buffer.ByteBuf;

/**
 * Validates and skips one term of the external term format (reference section 6) without
 * decoding it: the gateway only needs to know where a control term ends and that the receiving
 * node will be able to read it.
 *
 * <p>The scanner reads with absolute indexes and never moves a reader index. It does not recurse:
 * open tuples, lists and maps are counted on a stack of {@link EtfLimits#maxDepth()} ints made
 * once per instance, so a scan allocates nothing. A scan is restartable rather than resumable:
 * after {@link #INCOMPLETE} the caller scans again from the same index once more bytes arrived.
 *
 * <p>Every length and count read from the wire is checked against the bytes that may still
 * follow before anything is skipped or looped over. Each element of a tuple, list or map takes
 * at least one byte, so a count larger than the bytes left is refused at once.
 *
 * <p>Not thread-safe: keep one instance per connection direction.
 */
public final class EtfScanner {

    /** Returned when the term runs past the bytes available so far but may still fit. */
    public static final int INCOMPLETE = -1;

    /**
     * NEW_FUN_EXT Size counts itself and the fixed fields Arity(1), Uniq(16), Index(4) and
     * NumFree(4) that precede the variable part (ETF "NEW_FUN_EXT").
     */
    static final int NEW_FUN_FIXED_BYTES = 4 + 1 + 16 + 4 + 4;

    /** NEW_REFERENCE_EXT and NEWER_REFERENCE_EXT carry at most 5 ID words (section 6). */
    static final int MAX_REFERENCE_WORDS = 5;

    private final EtfLimits limits;
    /** Per open container, how many terms it still holds (for lists: elements plus the tail). */
    private final int[] pending;

    private ByteBuf buf;
    private int origin;
    private int end;
    private int bound;
    private boolean boundIsCap;

    public EtfScanner(EtfLimits limits) {
        this.limits = limits;
        this.pending = new int[limits.maxDepth()];
    }

    public EtfLimits limits() {
        return limits;
    }

    /**
     * Skips the term whose tag is at {@code index}; the 131 version byte before it is the
     * caller's to check.
     *
     * @param index first byte of the term (its tag)
     * @param end   end of the bytes available so far
     * @param limit the term must end at or before this index, normally the end of the packet.
     *              It is also held to {@link EtfLimits#maxControlBytes()} counted from {@code index}.
     * @return the index just after the term, or {@link #INCOMPLETE} if it needs bytes past
     *         {@code end} that may still arrive before {@code limit}
     * @throws EtfException if the bytes up to {@code end} cannot begin a valid term that fits
     *                      before {@code limit}; offsets in the message count from {@code index}
     */
    public int skip(ByteBuf buf, int index, int end, int limit) {
        return skip(buf, index, end, limit, index);
    }

    /** As {@link #skip(ByteBuf, int, int, int)}, with error offsets counted from {@code origin}. */
    int skip(ByteBuf buf, int index, int end, int limit, int origin) {
        if (index < 0 || end < index || limit < index) {
            throw new IllegalArgumentException(
                    "index " + index + " must be within 0.." + Math.min(end, limit));
        }
        int cap = (int) Math.min((long) index + limits.maxControlBytes(), Integer.MAX_VALUE);
        this.buf = buf;
        this.origin = origin;
        this.boundIsCap = cap < limit;
        this.bound = Math.min(cap, limit);
        this.end = Math.min(end, bound);
        try {
            return scan(index);
        } finally {
            this.buf = null;
        }
    }

    private int scan(int pos) {
        int depth = 0;
        while (true) {
            if (need(pos, 1, "term tag") == INCOMPLETE) {
                return INCOMPLETE;
            }
            int start = pos;
            int tag = buf.getUnsignedByte(pos);
            // Terms a container holds (-1 for anything else) and the index after its header or leaf.
            long count;
            int next;
            switch (tag) {
                case SMALL_TUPLE_EXT -> {
                    if (need(pos, 2, "SMALL_TUPLE_EXT arity") == INCOMPLETE) {
                        return INCOMPLETE;
                    }
                    count = buf.getUnsignedByte(pos + 1);
                    next = pos + 2;
                    checkCount(count, count, next, "SMALL_TUPLE_EXT arity");
                }
                case LARGE_TUPLE_EXT -> {
                    if (need(pos, 5, "LARGE_TUPLE_EXT arity") == INCOMPLETE) {
                        return INCOMPLETE;
                    }
                    count = buf.getUnsignedInt(pos + 1);
                    next = pos + 5;
                    checkCount(count, count, next, "LARGE_TUPLE_EXT arity");
                }
                case LIST_EXT -> {
                    if (need(pos, 5, "LIST_EXT length") == INCOMPLETE) {
                        return INCOMPLETE;
                    }
                    long length = buf.getUnsignedInt(pos + 1);
                    count = length + 1;
                    next = pos + 5;
                    checkCount(length, count, next, "LIST_EXT length");
                }
                case MAP_EXT -> {
                    if (need(pos, 5, "MAP_EXT arity") == INCOMPLETE) {
                        return INCOMPLETE;
                    }
                    long arity = buf.getUnsignedInt(pos + 1);
                    count = 2 * arity;
                    next = pos + 5;
                    checkCount(arity, count, next, "MAP_EXT arity");
                }
                default -> {
                    count = -1;
                    next = skipLeaf(tag, pos);
                    if (next == INCOMPLETE) {
                        return INCOMPLETE;
                    }
                }
            }
            pos = next;
            if (count >= 0 && depth == pending.length) {
                throw new EtfException(EtfException.TOO_DEEP, String.format(
                        "%s at offset %d nests deeper than the limit of %d",
                        ExternalTags.name(tag), offset(start), pending.length));
            }
            if (count > 0) {
                // checkCount bounded count by the bytes left, so it fits an int.
                pending[depth++] = (int) count;
                continue;
            }
            // A term ended at pos; close every container it was the last term of.
            while (depth > 0 && --pending[depth - 1] == 0) {
                depth--;
            }
            if (depth == 0) {
                return pos;
            }
        }
    }

    private int skipLeaf(int tag, int pos) {
        return switch (tag) {
            case SMALL_INTEGER_EXT -> need(pos, 2, "SMALL_INTEGER_EXT");
            case INTEGER_EXT -> need(pos, 5, "INTEGER_EXT");
            // 31 bytes of text; parsing the number is left to the receiving node.
            case FLOAT_EXT -> need(pos, 32, "FLOAT_EXT");
            case NEW_FLOAT_EXT -> need(pos, 9, "NEW_FLOAT_EXT");
            case NIL_EXT -> pos + 1;
            case ATOM_EXT, SMALL_ATOM_EXT, ATOM_UTF8_EXT, SMALL_ATOM_UTF8_EXT -> skipAtom(tag, pos);
            case PID_EXT -> skipWithNode(tag, pos, 9, "PID_EXT ID, Serial and Creation");
            case NEW_PID_EXT -> skipWithNode(tag, pos, 12, "NEW_PID_EXT ID, Serial and Creation");
            case PORT_EXT -> skipWithNode(tag, pos, 5, "PORT_EXT ID and Creation");
            case NEW_PORT_EXT -> skipWithNode(tag, pos, 8, "NEW_PORT_EXT ID and Creation");
            case V4_PORT_EXT -> skipWithNode(tag, pos, 12, "V4_PORT_EXT ID and Creation");
            case REFERENCE_EXT -> skipWithNode(tag, pos, 5, "REFERENCE_EXT ID and Creation");
            case NEW_REFERENCE_EXT -> skipReference(tag, pos, 1, "NEW_REFERENCE_EXT Creation and ID");
            case NEWER_REFERENCE_EXT -> skipReference(tag, pos, 4, "NEWER_REFERENCE_EXT Creation and ID");
            case STRING_EXT -> need(pos, 3, "STRING_EXT length") == INCOMPLETE ? INCOMPLETE
                    : declared(pos + 3, buf.getUnsignedShort(pos + 1), "STRING_EXT length");
            case BINARY_EXT -> need(pos, 5, "BINARY_EXT length") == INCOMPLETE ? INCOMPLETE
                    : declared(pos + 5, buf.getUnsignedInt(pos + 1), "BINARY_EXT length");
            case BIT_BINARY_EXT -> skipBitBinary(pos);
            case SMALL_BIG_EXT -> need(pos, 3, "SMALL_BIG_EXT n") == INCOMPLETE ? INCOMPLETE
                    : declared(pos + 3, buf.getUnsignedByte(pos + 1), "SMALL_BIG_EXT n");
            case LARGE_BIG_EXT -> need(pos, 6, "LARGE_BIG_EXT n") == INCOMPLETE ? INCOMPLETE
                    : declared(pos + 6, buf.getUnsignedInt(pos + 1), "LARGE_BIG_EXT n");
            case NEW_FUN_EXT -> skipNewFun(pos);
            case EXPORT_EXT -> skipExport(pos);
            case ATOM_CACHE_REF -> throw atomCacheRef(pos);
            case COMPRESSED -> throw EtfException.unknownTag(
                    "COMPRESSED (80) at offset %d: the distribution encoder never compresses, "
                            + "and the gateway does not inflate inside a control message", offset(pos));
            case LOCAL_EXT -> throw EtfException.unknownTag(
                    "LOCAL_EXT (121) at offset %d: a node-local encoding must not cross the wire",
                    offset(pos));
            default -> throw EtfException.unknownTag(
                    "%s at offset %d is not a term the gateway accepts in a control message",
                    ExternalTags.describe(tag), offset(pos));
        };
    }

    /** ATOM_EXT/ATOM_UTF8_EXT Len(2), SMALL_ATOM_EXT/SMALL_ATOM_UTF8_EXT Len(1), then the text. */
    private int skipAtom(int tag, int pos) {
        boolean small = tag == SMALL_ATOM_EXT || tag == SMALL_ATOM_UTF8_EXT;
        boolean utf8 = tag == ATOM_UTF8_EXT || tag == SMALL_ATOM_UTF8_EXT;
        int text = pos + (small ? 2 : 3);
        if (need(pos, text - pos, "atom length") == INCOMPLETE) {
            return INCOMPLETE;
        }
        int length = small ? buf.getUnsignedByte(pos + 1) : buf.getUnsignedShort(pos + 1);
        // Latin-1 has one byte per character, so both limits come from the 255-character rule.
        int maxBytes = utf8 ? AtomText.MAX_UTF8_BYTES : AtomText.MAX_CHARS;
        if (length > maxBytes) {
            throw EtfException.malformed("%s length %d exceeds the %d-byte atom limit at offset %d",
                    ExternalTags.name(tag), length, maxBytes, offset(pos));
        }
        int next = declared(text, length, "atom length");
        if (next == INCOMPLETE || !utf8) {
            return next;
        }
        int chars = AtomText.utf8Chars(buf, text, length);
        if (chars == AtomText.INVALID) {
            throw EtfException.malformed("%s text at offset %d is not valid UTF-8",
                    ExternalTags.name(tag), offset(pos));
        }
        if (chars > AtomText.MAX_CHARS) {
            throw EtfException.malformed("%s has %d characters, more than the %d allowed, at offset %d",
                    ExternalTags.name(tag), chars, AtomText.MAX_CHARS, offset(pos));
        }
        return next;
    }

    /** An atom field inside a compound term: a pid's node, an export's module or function. */
    private int skipAtomField(int ownerTag, String field, int pos) {
        if (need(pos, 1, "atom tag") == INCOMPLETE) {
            return INCOMPLETE;
        }
        int tag = buf.getUnsignedByte(pos);
        if (tag == ATOM_CACHE_REF) {
            throw atomCacheRef(pos);
        }
        if (!ExternalTags.isAtom(tag)) {
            throw EtfException.malformed("%s %s must be an atom, found %s at offset %d",
                    ExternalTags.name(ownerTag), field, ExternalTags.describe(tag), offset(pos));
        }
        return skipAtom(tag, pos);
    }

    /** Node · the fixed fields: ID(4 or 8), Serial(4) for pids, Creation(1 or 4). */
    private int skipWithNode(int tag, int pos, int fixedBytes, String fields) {
        int next = skipAtomField(tag, "node", pos + 1);
        return next == INCOMPLETE ? INCOMPLETE : need(next, fixedBytes, fields);
    }

    /** Len(2) · Node · Creation(1 or 4) · ID(4 × Len). */
    private int skipReference(int tag, int pos, int creationBytes, String fields) {
        if (need(pos, 3, "reference ID length") == INCOMPLETE) {
            return INCOMPLETE;
        }
        int words = buf.getUnsignedShort(pos + 1);
        if (words > MAX_REFERENCE_WORDS) {
            throw EtfException.malformed("%s ID length %d exceeds the %d words allowed at offset %d",
                    ExternalTags.name(tag), words, MAX_REFERENCE_WORDS, offset(pos));
        }
        int next = skipAtomField(tag, "node", pos + 3);
        return next == INCOMPLETE ? INCOMPLETE : need(next, creationBytes + 4 * words, fields);
    }

    /** Len(4) · Bits(1) · data; Bits is 1..8 for a non-empty binary and 0 for an empty one. */
    private int skipBitBinary(int pos) {
        if (need(pos, 6, "BIT_BINARY_EXT length and bits") == INCOMPLETE) {
            return INCOMPLETE;
        }
        long length = buf.getUnsignedInt(pos + 1);
        int bits = buf.getUnsignedByte(pos + 5);
        if (length == 0 ? bits != 0 : bits < 1 || bits > 8) {
            throw EtfException.malformed("BIT_BINARY_EXT bits %d is not valid for length %d at offset %d",
                    bits, length, offset(pos));
        }
        return declared(pos + 6, length, "BIT_BINARY_EXT length");
    }

    /**
     * Skipped by its Size field, which counts itself: the variable part (module, old index and
     * uniq, creator pid, free variables) is the receiver's to decode.
     */
    private int skipNewFun(int pos) {
        if (need(pos, 5, "NEW_FUN_EXT size") == INCOMPLETE) {
            return INCOMPLETE;
        }
        long size = buf.getUnsignedInt(pos + 1);
        if (size < NEW_FUN_FIXED_BYTES) {
            throw EtfException.malformed("NEW_FUN_EXT size %d is smaller than its %d fixed bytes at offset %d",
                    size, NEW_FUN_FIXED_BYTES, offset(pos));
        }
        return declared(pos + 1, size, "NEW_FUN_EXT size");
    }

    /** Module(atom) · Function(atom) · Arity(SMALL_INTEGER_EXT). */
    private int skipExport(int pos) {
        int next = skipAtomField(EXPORT_EXT, "module", pos + 1);
        if (next == INCOMPLETE) {
            return INCOMPLETE;
        }
        next = skipAtomField(EXPORT_EXT, "function", next);
        if (next == INCOMPLETE || need(next, 1, "EXPORT_EXT arity") == INCOMPLETE) {
            return INCOMPLETE;
        }
        int tag = buf.getUnsignedByte(next);
        if (tag != SMALL_INTEGER_EXT) {
            throw EtfException.malformed("EXPORT_EXT arity must be SMALL_INTEGER_EXT, found %s at offset %d",
                    ExternalTags.describe(tag), offset(next));
        }
        return need(next, 2, "EXPORT_EXT arity");
    }

    /**
     * A container's count of terms, each at least one byte, must fit in the bytes left: checked
     * before the count is pushed, so an absurd arity fails at once instead of after a long wait.
     */
    private void checkCount(long declared, long terms, int first, String what) {
        if (terms > bound - first) {
            throw overrun(what, declared, terms, first);
        }
    }

    /** {@code bytes} fixed bytes from {@code from}: the index after them, or INCOMPLETE. */
    private int need(int from, long bytes, String what) {
        long stop = from + bytes;
        if (stop > bound) {
            throw overrun(what, -1, bytes, from);
        }
        return stop > end ? INCOMPLETE : (int) stop;
    }

    /** As {@link #need}, for a length read from the wire, which the message repeats. */
    private int declared(int from, long length, String what) {
        long stop = from + length;
        if (stop > bound) {
            throw overrun(what, length, length, from);
        }
        return stop > end ? INCOMPLETE : (int) stop;
    }

    /** {@code declared} is the length or count read from the wire, or -1 for a fixed size. */
    private EtfException overrun(String what, long declared, long bytes, int from) {
        long left = (long) bound - from;
        String needs = (declared < 0 ? what : what + " " + declared)
                + " needs at least " + bytes + (bytes == 1 ? " byte" : " bytes");
        if (boundIsCap) {
            return new EtfException(EtfException.TOO_LARGE, String.format(
                    "%s, more than the %d left of the %d-byte control message limit at offset %d",
                    needs, left, limits.maxControlBytes(), offset(from)));
        }
        return EtfException.malformed("%s, more than the %d left in the packet at offset %d",
                needs, left, offset(from));
    }

    private EtfException atomCacheRef(int pos) {
        return EtfException.unknownTag(
                "ATOM_CACHE_REF (82) at offset %d: no atom cache is negotiated across the gateway",
                offset(pos));
    }

    private int offset(int pos) {
        return pos - origin;
    }
}
