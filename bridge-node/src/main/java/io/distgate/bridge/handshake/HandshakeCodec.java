package io.distgate.bridge.handshake;

import io.distgate.bridge.dist.Cookie;
import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.handshake.HandshakeMessage.Challenge;
import io.distgate.bridge.handshake.HandshakeMessage.ChallengeAck;
import io.distgate.bridge.handshake.HandshakeMessage.ChallengeReply;
import io.distgate.bridge.handshake.HandshakeMessage.Complement;
import io.distgate.bridge.handshake.HandshakeMessage.SendName;
import io.distgate.bridge.handshake.HandshakeMessage.Status;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Parses and writes handshake message bodies (the bytes after the 2-byte length). A tag means
 * different things in each direction ({@code 'N'} is a send_name from the initiator and a
 * challenge from the acceptor), so there is one parser per direction.
 *
 * <p>Layouts: Distribution Protocol, "Distribution Handshake"; OTP 25 dist_util
 * {@code recv_name_new/2}, {@code recv_challenge_new/2}.
 */
public final class HandshakeCodec {

    public static final int TAG_SEND_NAME_V5 = 'n';
    public static final int TAG_V6 = 'N';
    public static final int TAG_STATUS = 's';
    public static final int TAG_COMPLEMENT = 'c';
    public static final int TAG_REPLY = 'r';
    public static final int TAG_ACK = 'a';

    /** Handshake bodies are framed with a 2-byte length. */
    public static final int MAX_BODY = 0xFFFF;

    private HandshakeCodec() {
    }

    /** Messages an acceptor receives: send_name, status reply, complement, challenge_reply. */
    public static HandshakeMessage decodeFromInitiator(ByteBuf body) {
        requireBytes(body, 1, "message tag");
        int tag = body.readUnsignedByte();
        switch (tag) {
            case TAG_SEND_NAME_V5: {
                requireBytes(body, 6, "send_name (version 5) version and flags");
                int version = body.readUnsignedShort();
                if (version != 5) {
                    throw new HandshakeException(HandshakeException.VERSION,
                            "send_name 'n' carries version " + version + ", only 5 is defined");
                }
                long flags = body.readUnsignedInt();
                return new SendName(5, flags, 0, readName(body, body.readableBytes(), "send_name"));
            }
            case TAG_V6: {
                requireBytes(body, 14, "send_name (version 6) flags, creation and name length");
                long flags = body.readLong();
                long creation = body.readUnsignedInt();
                int nameLength = body.readUnsignedShort();
                return new SendName(6, flags, creation, readName(body, nameLength, "send_name"));
            }
            case TAG_STATUS:
                return new Status(readText(body));
            case TAG_COMPLEMENT:
                requireExactly(body, 8, "complement");
                return new Complement(body.readUnsignedInt(), body.readUnsignedInt());
            case TAG_REPLY:
                requireExactly(body, 4 + Cookie.DIGEST_LENGTH, "challenge_reply");
                long challenge = body.readUnsignedInt();
                return new ChallengeReply(challenge, readDigest(body));
            default:
                throw unknownTag(tag, "initiator");
        }
    }

    /** Messages an initiator receives: status, challenge, challenge_ack. */
    public static HandshakeMessage decodeFromAcceptor(ByteBuf body) {
        requireBytes(body, 1, "message tag");
        int tag = body.readUnsignedByte();
        switch (tag) {
            case TAG_STATUS:
                return new Status(readText(body));
            case TAG_V6: {
                requireBytes(body, 18, "challenge flags, challenge, creation and name length");
                long flags = body.readLong();
                long challenge = body.readUnsignedInt();
                long creation = body.readUnsignedInt();
                int nameLength = body.readUnsignedShort();
                return new Challenge(flags, challenge, creation, readName(body, nameLength, "challenge"));
            }
            case TAG_SEND_NAME_V5:
                // The old 'n' challenge is sent only to peers without HANDSHAKE_23, i.e. by OTP 23/24
                // answering an OTP 22 or older initiator; the gateway never is one.
                throw new HandshakeException(HandshakeException.VERSION,
                        "peer sent an old 'n' challenge; only nodes of OTP 22 or older expect that handshake");
            case TAG_ACK:
                requireExactly(body, Cookie.DIGEST_LENGTH, "challenge_ack");
                return new ChallengeAck(readDigest(body));
            default:
                throw unknownTag(tag, "acceptor");
        }
    }

    public static void encode(HandshakeMessage message, ByteBuf out) {
        if (message instanceof SendName m) {
            if (m.version() == 5) {
                out.writeByte(TAG_SEND_NAME_V5).writeShort(5).writeInt((int) m.flags());
                out.writeCharSequence(m.name(), StandardCharsets.ISO_8859_1);
            } else {
                out.writeByte(TAG_V6).writeLong(m.flags()).writeInt((int) m.creation());
                writeName(out, m.name());
            }
        } else if (message instanceof Status m) {
            out.writeByte(TAG_STATUS).writeCharSequence(m.text(), StandardCharsets.ISO_8859_1);
        } else if (message instanceof Challenge m) {
            out.writeByte(TAG_V6).writeLong(m.flags()).writeInt((int) m.challenge()).writeInt((int) m.creation());
            writeName(out, m.name());
        } else if (message instanceof Complement m) {
            out.writeByte(TAG_COMPLEMENT).writeInt((int) m.flagsHigh()).writeInt((int) m.creation());
        } else if (message instanceof ChallengeReply m) {
            out.writeByte(TAG_REPLY).writeInt((int) m.challenge()).writeBytes(m.digest());
        } else if (message instanceof ChallengeAck m) {
            out.writeByte(TAG_ACK).writeBytes(m.digest());
        }
    }

    private static void writeName(ByteBuf out, String name) {
        out.writeShort(name.length());
        out.writeCharSequence(name, StandardCharsets.ISO_8859_1);
    }

    private static String readName(ByteBuf body, int length, String message) {
        if (length > body.readableBytes()) {
            throw new HandshakeException(HandshakeException.MALFORMED, message + " name length " + length
                    + " exceeds the " + body.readableBytes() + " bytes left in the message");
        }
        if (length > NodeName.MAX_LENGTH) {
            throw new HandshakeException(HandshakeException.BAD_NAME, message + " name length " + length
                    + " exceeds the " + NodeName.MAX_LENGTH + " characters of an atom");
        }
        // Bytes after the name are ignored, as OTP does (room for future extensions).
        return body.readCharSequence(length, StandardCharsets.ISO_8859_1).toString();
    }

    private static String readText(ByteBuf body) {
        return body.readCharSequence(body.readableBytes(), StandardCharsets.ISO_8859_1).toString();
    }

    private static byte[] readDigest(ByteBuf body) {
        byte[] digest = new byte[Cookie.DIGEST_LENGTH];
        body.readBytes(digest);
        return digest;
    }

    private static void requireBytes(ByteBuf body, int needed, String what) {
        if (body.readableBytes() < needed) {
            throw new HandshakeException(HandshakeException.MALFORMED,
                    what + " needs " + needed + " bytes, message has " + body.readableBytes());
        }
    }

    private static void requireExactly(ByteBuf body, int needed, String what) {
        if (body.readableBytes() != needed) {
            throw new HandshakeException(HandshakeException.MALFORMED,
                    what + " body must be " + needed + " bytes after the tag, got " + body.readableBytes());
        }
    }

    private static HandshakeException unknownTag(int tag, String from) {
        return new HandshakeException(HandshakeException.UNEXPECTED,
                String.format("unknown handshake message tag 0x%02x from the %s", tag, from));
    }
}
