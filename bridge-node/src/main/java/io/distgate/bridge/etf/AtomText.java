package io.distgate.bridge.etf;

import io.netty.buffer.ByteBuf;

/**
 * Checks the text of an atom against the spec's limit of 255 characters (reference section 6,
 * "Atom ≤ 255 characters (≤ 1020 bytes in UTF-8)"). The receiving node rejects a whole packet
 * whose atom breaks these rules, so the gateway refuses it before relaying.
 */
final class AtomText {

    static final int MAX_CHARS = 255;
    /** Four bytes per character at most in UTF-8. */
    static final int MAX_UTF8_BYTES = 4 * MAX_CHARS;

    /** Returned by {@link #utf8Chars} for text that is not well-formed UTF-8. */
    static final int INVALID = -1;

    private AtomText() {
    }

    /**
     * Counts the characters of {@code length} bytes of UTF-8 at {@code index}, or returns
     * {@link #INVALID} for text the receiving node would reject: stray continuation bytes,
     * truncated sequences, overlong forms, surrogates and code points above U+10FFFF
     * (RFC 3629 section 4).
     */
    static int utf8Chars(ByteBuf buf, int index, int length) {
        int end = index + length;
        int chars = 0;
        int i = index;
        while (i < end) {
            int lead = buf.getUnsignedByte(i);
            if (lead < 0x80) {
                i++;
                chars++;
                continue;
            }
            int extra;
            int min;
            if (lead >= 0xC2 && lead <= 0xDF) {
                extra = 1;
                min = 0x80;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                extra = 2;
                min = 0x800;
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                extra = 3;
                min = 0x10000;
            } else {
                return INVALID;
            }
            if (end - i <= extra) {
                return INVALID;
            }
            int codePoint = lead & (0x3F >> extra);
            for (int k = 1; k <= extra; k++) {
                int next = buf.getUnsignedByte(i + k);
                if ((next & 0xC0) != 0x80) {
                    return INVALID;
                }
                codePoint = (codePoint << 6) | (next & 0x3F);
            }
            if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
                return INVALID;
            }
            i += extra + 1;
            chars++;
        }
        return chars;
    }
}
