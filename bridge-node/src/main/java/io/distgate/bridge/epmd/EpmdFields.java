package io.distgate.bridge.epmd;

import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.epmd.EpmdException.Reason;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checked reads of EPMD fields and the name rules shared by the records and the codec. Wire
 * problems become {@link EpmdException}; invalid values handed to a record constructor by our own
 * code become {@link IllegalArgumentException}.
 */
final class EpmdFields {

    private EpmdFields() {
    }

    static int readU8(ByteBuf in, String message, String field) {
        need(in, 1, message, field);
        return in.readUnsignedByte();
    }

    static int readU16(ByteBuf in, String message, String field) {
        need(in, 2, message, field);
        return in.readUnsignedShort();
    }

    static long readU32(ByteBuf in, String message, String field) {
        need(in, 4, message, field);
        return in.readUnsignedInt();
    }

    /**
     * Reads a node name of {@code length} bytes with the rules epmd applies ({@code epmd_srv.c}
     * {@code do_request}, {@code node_reg2}): at least one byte, at most
     * {@link EpmdCodec#MAX_NAME_BYTES}, valid UTF-8, no NUL, at most
     * {@link EpmdCodec#MAX_NAME_CHARS} characters.
     */
    static String readName(ByteBuf in, int length, String message, String field) {
        if (length == 0) {
            throw new EpmdException(Reason.MALFORMED, message + " " + field + " is empty, need at least 1 byte");
        }
        if (length > EpmdCodec.MAX_NAME_BYTES) {
            throw new EpmdException(Reason.OVERSIZED, message + " " + field + " is " + length
                    + " bytes, limit " + EpmdCodec.MAX_NAME_BYTES + " (MAX_NAME_BYTES)");
        }
        need(in, length, message, field);
        ByteBuf bytes = in.readSlice(length);
        if (bytes.indexOf(bytes.readerIndex(), bytes.writerIndex(), (byte) 0) >= 0) {
            throw new EpmdException(Reason.MALFORMED, message + " " + field + " contains a NUL byte");
        }
        String name = utf8(bytes, message, field);
        int chars = name.codePointCount(0, name.length());
        if (chars > EpmdCodec.MAX_NAME_CHARS) {
            throw new EpmdException(Reason.OVERSIZED, message + " " + field + " has " + chars
                    + " characters, limit " + EpmdCodec.MAX_NAME_CHARS + " (MAX_NAME_CHARS)");
        }
        return name;
    }

    static byte[] readExtra(ByteBuf in, int length, String message, String field) {
        if (length > EpmdCodec.MAX_EXTRA_BYTES) {
            throw new EpmdException(Reason.OVERSIZED, message + " " + field + " is " + length
                    + " bytes, limit " + EpmdCodec.MAX_EXTRA_BYTES + " (MAX_EXTRA_BYTES)");
        }
        need(in, length, message, field);
        byte[] extra = new byte[length];
        in.readBytes(extra);
        return extra;
    }

    /** Strict UTF-8: epmd rejects invalid sequences ({@code verify_utf8}), so do we. */
    static String utf8(ByteBuf bytes, String message, String field) {
        ByteBuffer nio = bytes.nioBuffer();
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(nio);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new EpmdException(Reason.MALFORMED, message + " " + field + " is not valid UTF-8: '"
                    + printable(bytes) + "'");
        }
    }

    /** Untrusted bytes rendered for an error message, one character per byte, escaped. */
    static String printable(ByteBuf bytes) {
        return NodeName.printable(bytes.toString(bytes.readerIndex(), bytes.readableBytes(), StandardCharsets.ISO_8859_1));
    }

    static void expectEnd(ByteBuf in, String message) {
        if (in.isReadable()) {
            throw new EpmdException(Reason.TRAILING_BYTES, message + " is followed by "
                    + in.readableBytes() + " unexpected bytes");
        }
    }

    private static void need(ByteBuf in, int bytes, String message, String field) {
        if (in.readableBytes() < bytes) {
            throw new EpmdException(Reason.TRUNCATED, message + " " + field + " needs " + bytes
                    + " bytes, only " + in.readableBytes() + " left");
        }
    }

    /** The record-side twin of {@link #readName}: rejects a name our own code should never build. */
    static void checkName(String name, String what) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " must not contain NUL: '" + NodeName.printable(name) + "'");
        }
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(name)) {
            throw new IllegalArgumentException(what + " has an unpaired surrogate: '" + NodeName.printable(name) + "'");
        }
        int length = name.getBytes(StandardCharsets.UTF_8).length;
        if (length > EpmdCodec.MAX_NAME_BYTES) {
            throw new IllegalArgumentException(what + " is " + length + " UTF-8 bytes, limit " + EpmdCodec.MAX_NAME_BYTES);
        }
        int chars = name.codePointCount(0, name.length());
        if (chars > EpmdCodec.MAX_NAME_CHARS) {
            throw new IllegalArgumentException(what + " has " + chars + " characters, limit " + EpmdCodec.MAX_NAME_CHARS);
        }
    }

    static void checkRange(long value, long max, String what) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(what + " must be in 0.." + max + ", was " + value);
        }
    }

    static void checkExtra(byte[] extra, String what) {
        if (extra == null) {
            throw new IllegalArgumentException(what + " must not be null (use an empty array)");
        }
        if (extra.length > EpmdCodec.MAX_EXTRA_BYTES) {
            throw new IllegalArgumentException(what + " is " + extra.length + " bytes, limit " + EpmdCodec.MAX_EXTRA_BYTES);
        }
    }
}
