package io.distgate.bridge.dist;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A site's distribution cookie. Never printed: {@link #toString()} is masked, and the bytes do
 * not leave this class except as digests.
 */
public final class Cookie {

    /** Length of an MD5 digest, the only digest the distribution handshake knows. */
    public static final int DIGEST_LENGTH = 16;

    private final byte[] bytes;

    private Cookie(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * A cookie is an atom's text. Erlang reads {@code ~/.erlang.cookie} as printable characters;
     * distgate takes the same: non-empty printable ASCII, at most 255 characters.
     */
    public static Cookie of(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("cookie is empty");
        }
        if (text.length() > NodeName.MAX_LENGTH) {
            throw new IllegalArgumentException("cookie is longer than " + NodeName.MAX_LENGTH + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < ' ' || c > '~') {
                throw new IllegalArgumentException("cookie has a non-printable or non-ASCII character at index " + i);
            }
        }
        return new Cookie(text.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * {@code MD5(cookie ++ integer_to_list(Challenge))} with the challenge read as an unsigned
     * 32-bit integer (dist_util {@code gen_digest/2}).
     */
    public byte[] digest(long challenge) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(bytes);
            md5.update(Long.toString(challenge & 0xFFFF_FFFFL).getBytes(StandardCharsets.US_ASCII));
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every Java runtime", e);
        }
    }

    /** Constant-time check of a digest received from a peer. */
    public boolean verifies(long challenge, byte[] receivedDigest) {
        return MessageDigest.isEqual(digest(challenge), receivedDigest);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cookie c && MessageDigest.isEqual(bytes, c.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Cookie[****]";
    }
}
