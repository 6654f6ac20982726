package io.distgate.bridge.session;

import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.session.FarSite.Availability;
import io.distgate.bridge.session.SetupMessage.FarChallenge;
import io.distgate.bridge.session.SetupMessage.FarStatus;
import io.distgate.bridge.session.SetupMessage.FarUp;
import io.distgate.bridge.session.SetupMessage.NearAuthenticated;
import io.distgate.bridge.session.SetupMessage.Open;
import io.distgate.bridge.session.SetupMessage.Refuse;
import io.distgate.bridge.session.SetupMessage.StatusReply;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The messages at the start of a tunnel stream, before the raw distribution bytes
 * (docs/tunnel-protocol.md). Each is {@code Length(2) · Type(1) · fields}; strings are
 * {@code Length(2) · UTF-8}. OPEN and LOOKUP carry the protocol version.
 */
public final class SetupCodec {

    /** The tunnel stream protocol version this gateway speaks. */
    public static final int VERSION = 1;
    /** Largest message body; the biggest legal one (OPEN with two 255-character names) is under 600 bytes. */
    public static final int MAX_BODY = 2048;
    /** Refusal details are cut to this many characters on the wire. */
    public static final int MAX_DETAIL = 1024;

    static final int OPEN = 1;
    static final int FAR_STATUS = 2;
    static final int STATUS_REPLY = 3;
    static final int FAR_CHALLENGE = 4;
    static final int NEAR_AUTHENTICATED = 5;
    static final int FAR_UP = 6;
    static final int REFUSE = 7;
    static final int LOOKUP = 8;
    static final int LOOKUP_ANSWER = 9;

    private SetupCodec() {
    }

    /** Writes one message with its length. */
    public static void encode(Object message, ByteBuf out) {
        int lengthAt = out.writerIndex();
        out.writeShort(0);
        if (message instanceof Open m) {
            out.writeByte(OPEN).writeByte(VERSION);
            writeString(out, m.from().toString());
            writeString(out, m.to().toString());
            out.writeLong(m.flags()).writeInt((int) m.creation()).writeByte(m.version());
        } else if (message instanceof FarStatus m) {
            out.writeByte(FAR_STATUS);
            writeString(out, m.status());
        } else if (message instanceof StatusReply m) {
            out.writeByte(STATUS_REPLY).writeBoolean(m.pending());
        } else if (message instanceof FarChallenge m) {
            out.writeByte(FAR_CHALLENGE).writeLong(m.flags()).writeInt((int) m.creation());
        } else if (message instanceof NearAuthenticated m) {
            out.writeByte(NEAR_AUTHENTICATED).writeInt((int) m.flagsHigh()).writeInt((int) m.creation());
        } else if (message instanceof FarUp) {
            out.writeByte(FAR_UP);
        } else if (message instanceof Refuse m) {
            out.writeByte(REFUSE);
            writeString(out, m.failure().label());
            String detail = m.detail();
            writeString(out, detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail);
        } else if (message instanceof Lookup.Request m) {
            out.writeByte(LOOKUP).writeByte(VERSION);
            writeString(out, m.node().toString());
        } else if (message instanceof Lookup.Answer m) {
            out.writeByte(LOOKUP_ANSWER).writeByte(m.availability().ordinal());
        } else {
            throw new IllegalArgumentException("not a tunnel stream message: " + message);
        }
        out.setShort(lengthAt, out.writerIndex() - lengthAt - 2);
    }

    /** Reads one message body (after its length). */
    public static Object decode(ByteBuf body) {
        int type = readUnsignedByte(body, "type");
        Object message = switch (type) {
            case OPEN -> {
                checkVersion(readUnsignedByte(body, "OPEN version"), "OPEN");
                NodeName from = readNode(body, "OPEN from");
                NodeName to = readNode(body, "OPEN to");
                long flags = readLong(body, "OPEN flags");
                long creation = readUnsignedInt(body, "OPEN creation");
                int version = readUnsignedByte(body, "OPEN handshake version");
                yield new Open(from, to, flags, creation, version);
            }
            case FAR_STATUS -> new FarStatus(readString(body, "FAR_STATUS status"));
            case STATUS_REPLY -> new StatusReply(readUnsignedByte(body, "STATUS_REPLY pending") != 0);
            case FAR_CHALLENGE -> new FarChallenge(readLong(body, "FAR_CHALLENGE flags"),
                    readUnsignedInt(body, "FAR_CHALLENGE creation"));
            case NEAR_AUTHENTICATED -> new NearAuthenticated(readUnsignedInt(body, "NEAR_AUTHENTICATED flags"),
                    readUnsignedInt(body, "NEAR_AUTHENTICATED creation"));
            case FAR_UP -> new FarUp();
            case REFUSE -> new Refuse(SetupFailure.ofLabel(readString(body, "REFUSE failure")),
                    readString(body, "REFUSE detail"));
            case LOOKUP -> {
                checkVersion(readUnsignedByte(body, "LOOKUP version"), "LOOKUP");
                yield new Lookup.Request(readNode(body, "LOOKUP node"));
            }
            case LOOKUP_ANSWER -> {
                int a = readUnsignedByte(body, "LOOKUP_ANSWER availability");
                if (a >= Availability.values().length) {
                    throw new StreamException("malformed", "LOOKUP_ANSWER availability " + a + " is not 0..2");
                }
                yield new Lookup.Answer(Availability.values()[a]);
            }
            default -> throw new StreamException("unknown_message", "tunnel stream message type " + type + " is unknown");
        };
        if (body.isReadable()) {
            throw new StreamException("malformed", "tunnel stream message type " + type + " has "
                    + body.readableBytes() + " bytes after its last field");
        }
        return message;
    }

    private static void checkVersion(int version, String what) {
        if (version != VERSION) {
            throw new StreamException("version", what + " speaks tunnel protocol version " + version
                    + "; this gateway speaks " + VERSION);
        }
    }

    private static void writeString(ByteBuf out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(bytes.length).writeBytes(bytes);
    }

    private static String readString(ByteBuf body, String field) {
        int length = readUnsignedShort(body, field + " length");
        if (length > body.readableBytes()) {
            throw new StreamException("malformed", field + " length " + length + " exceeds the "
                    + body.readableBytes() + " bytes left");
        }
        return body.readCharSequence(length, StandardCharsets.UTF_8).toString();
    }

    private static NodeName readNode(ByteBuf body, String field) {
        String text = readString(body, field);
        try {
            return NodeName.parse(text);
        } catch (IllegalArgumentException e) {
            throw new StreamException("malformed", field + ": " + e.getMessage());
        }
    }

    private static int readUnsignedByte(ByteBuf body, String field) {
        need(body, 1, field);
        return body.readUnsignedByte();
    }

    private static int readUnsignedShort(ByteBuf body, String field) {
        need(body, 2, field);
        return body.readUnsignedShort();
    }

    private static long readUnsignedInt(ByteBuf body, String field) {
        need(body, 4, field);
        return body.readUnsignedInt();
    }

    private static long readLong(ByteBuf body, String field) {
        need(body, 8, field);
        return body.readLong();
    }

    private static void need(ByteBuf body, int bytes, String field) {
        if (body.readableBytes() < bytes) {
            throw new StreamException("malformed", field + " needs " + bytes + " bytes, " + body.readableBytes() + " left");
        }
    }
}
