package io.distgate.bridge.epmd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Byte vectors written field by field: each part is one byte (an Integer 0..255) or UTF-8 text. */
final class Bytes {

    private Bytes() {
    }

    static byte[] array(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof Integer b) {
                if (b < 0 || b > 0xFF) {
                    throw new IllegalArgumentException("not a byte: " + b);
                }
                out.write(b);
            } else if (part instanceof Character c) {
                out.write(c);
            } else if (part instanceof String text) {
                out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            } else if (part instanceof byte[] raw) {
                out.writeBytes(raw);
            } else {
                throw new IllegalArgumentException("unsupported part: " + part);
            }
        }
        return out.toByteArray();
    }

    static ByteBuf buf(Object... parts) {
        return Unpooled.wrappedBuffer(array(parts));
    }

    /** {@code count} copies of {@code c}. */
    static String repeat(char c, int count) {
        return String.valueOf(c).repeat(count);
    }
}
