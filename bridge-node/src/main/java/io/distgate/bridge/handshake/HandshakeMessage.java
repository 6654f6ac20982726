package io.distgate.bridge.handshake;

import java.util.Arrays;

/**
 * The messages of the distribution handshake (Distribution Protocol, "Distribution Handshake").
 * Each is the body of one 2-byte-length-framed packet. Unsigned 32-bit fields (creation,
 * challenge) are held in {@code long}s so they never turn negative.
 */
public sealed interface HandshakeMessage {

    /**
     * {@code send_name}: {@code 'n'} (version 5: low 32 flag bits, no creation) or {@code 'N'}
     * (version 6: 64 flag bits and the creation).
     */
    record SendName(int version, long flags, long creation, String name) implements HandshakeMessage {
    }

    /** {@code 's'} + text: the acceptor's status, and also the initiator's {@code true}/{@code false} reply to {@code alive}. */
    record Status(String text) implements HandshakeMessage {
        public static final String OK = "ok";
        public static final String OK_SIMULTANEOUS = "ok_simultaneous";
        public static final String NOK = "nok";
        public static final String NOT_ALLOWED = "not_allowed";
        public static final String ALIVE = "alive";
        public static final String TRUE = "true";
        public static final String FALSE = "false";
    }

    /** {@code 'N'} challenge (version 6 layout, sent by OTP 23+ to every peer that has HANDSHAKE_23). */
    record Challenge(long flags, long challenge, long creation, String name) implements HandshakeMessage {
    }

    /** {@code 'c'} complement: completes a version 5 {@code send_name} with the high flag bits and the creation. */
    record Complement(long flagsHigh, long creation) implements HandshakeMessage {
    }

    /** {@code 'r'}: the initiator's own challenge and its digest of the acceptor's challenge. */
    record ChallengeReply(long challenge, byte[] digest) implements HandshakeMessage {
        @Override
        public String toString() {
            return "ChallengeReply[challenge=" + challenge + ", digest=<16 bytes>]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ChallengeReply r && r.challenge == challenge && Arrays.equals(r.digest, digest);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(challenge) * 31 + Arrays.hashCode(digest);
        }
    }

    /** {@code 'a'}: the acceptor's digest of the initiator's challenge. */
    record ChallengeAck(byte[] digest) implements HandshakeMessage {
        @Override
        public String toString() {
            return "ChallengeAck[digest=<16 bytes>]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ChallengeAck a && Arrays.equals(a.digest, digest);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(digest);
        }
    }
}
