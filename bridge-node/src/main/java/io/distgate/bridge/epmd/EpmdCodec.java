package io.distgate.bridge.epmd;

import io.distgate.bridge.epmd.EpmdException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure EPMD byte layouts (Distribution Protocol, "EPMD Protocol"; fact sheet 1.2): records to
 * bytes and back, with no sockets involved.
 *
 * <p>Requests carry a 2-byte length; {@link #encodeRequest} writes it and {@link #decodeRequest}
 * takes the body after it (the framing is {@link EpmdRequestDecoder}'s job). Responses carry no
 * length: epmd closes the connection after PORT2_RESP and NAMES_RESP, so the decoders take every
 * byte received until the close and reject anything left over.
 *
 * <p>Decoders throw {@link EpmdException} and consume what they read from the buffer; they never
 * retain it.
 */
public final class EpmdCodec {

    public static final int ALIVE2_X_RESP = 118;
    public static final int PORT2_RESP = 119;
    public static final int ALIVE2_REQ = 120;
    public static final int ALIVE2_RESP = 121;
    public static final int PORT_PLEASE2_REQ = 122;
    public static final int NAMES_REQ = 110;
    /** Requests epmd knows but distgate does not serve: local debugging and administration only. */
    private static final int DUMP_REQ = 100;
    private static final int KILL_REQ = 107;
    private static final int STOP_REQ = 115;

    /** Longest node name in bytes: 255 characters of up to 4 UTF-8 bytes ({@code epmd_int.h} MAXSYMLEN). */
    public static final int MAX_NAME_BYTES = 255 * 4;
    /** Longest node name in characters: the atom limit epmd checks ({@code epmd_srv.c} verify_utf8). */
    public static final int MAX_NAME_CHARS = 255;
    /** Longest Extra field epmd stores ({@code epmd_srv.c} node_reg2, MAXSYMLEN). */
    public static final int MAX_EXTRA_BYTES = 255 * 4;
    /** Largest PORT2_RESP: 14 fixed bytes plus the longest name and Extra. */
    public static final int MAX_PORT2_RESPONSE_BYTES = 14 + MAX_NAME_BYTES + MAX_EXTRA_BYTES;

    private static final byte[] NAMES_LINE_PREFIX = "name ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NAMES_LINE_PORT = " at port ".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_PORT_DIGITS = 5;

    private EpmdCodec() {
    }

    /** Writes the 2-byte length and the request body. */
    public static void encodeRequest(EpmdRequest request, ByteBuf out) {
        int lengthIndex = out.writerIndex();
        out.writeShort(0);
        int bodyStart = out.writerIndex();
        if (request instanceof PortPlease2Request r) {
            out.writeByte(PORT_PLEASE2_REQ);
            ByteBufUtil.writeUtf8(out, r.name());
        } else if (request instanceof NamesRequest) {
            out.writeByte(NAMES_REQ);
        } else if (request instanceof Alive2Request r) {
            out.writeByte(ALIVE2_REQ);
            writeNode(out, r.node());
        } else {
            throw new IllegalArgumentException("not an EPMD request: " + request);
        }
        // The records' limits keep every body well under EpmdRequestDecoder.MAX_REQUEST_LENGTH.
        out.setShort(lengthIndex, out.writerIndex() - bodyStart);
    }

    /** Parses a request body: everything after the 2-byte length, exactly. */
    public static EpmdRequest decodeRequest(ByteBuf body) {
        int tag = EpmdFields.readU8(body, "EPMD request", "code");
        return switch (tag) {
            case PORT_PLEASE2_REQ -> decodePortPlease2(body);
            case NAMES_REQ -> {
                EpmdFields.expectEnd(body, "NAMES_REQ");
                yield new NamesRequest();
            }
            case ALIVE2_REQ -> decodeAlive2Request(body);
            default -> throw new EpmdException(Reason.UNKNOWN_REQUEST, "EPMD request code " + tag + describeCode(tag)
                    + " is not served; expected " + PORT_PLEASE2_REQ + " (PORT_PLEASE2_REQ), " + NAMES_REQ
                    + " (NAMES_REQ) or " + ALIVE2_REQ + " (ALIVE2_REQ)");
        };
    }

    private static PortPlease2Request decodePortPlease2(ByteBuf body) {
        int length = body.readableBytes();
        // epmd drops one trailing NUL that pre-R3 clients sent (epmd_srv.c do_request, PORT2_REQ).
        boolean nulTerminated = length > 0 && body.getByte(body.writerIndex() - 1) == 0;
        String name = EpmdFields.readName(body, nulTerminated ? length - 1 : length, "PORT_PLEASE2_REQ", "NodeName");
        if (nulTerminated) {
            body.skipBytes(1);
        }
        return new PortPlease2Request(name);
    }

    private static Alive2Request decodeAlive2Request(ByteBuf body) {
        Alive2Request request = new Alive2Request(readNode(body, "ALIVE2_REQ"));
        EpmdFields.expectEnd(body, "ALIVE2_REQ");
        return request;
    }

    /** The entry layout ALIVE2_REQ and PORT2_RESP share, from PortNo to Extra. */
    private static void writeNode(ByteBuf out, NodeEntry node) {
        out.writeShort(node.port());
        out.writeByte(node.nodeType());
        out.writeByte(node.protocol());
        out.writeShort(node.highestVersion());
        out.writeShort(node.lowestVersion());
        writeName(out, node.name());
        byte[] extra = node.extra();
        out.writeShort(extra.length);
        out.writeBytes(extra);
    }

    private static NodeEntry readNode(ByteBuf in, String m) {
        int port = EpmdFields.readU16(in, m, "PortNo");
        int nodeType = EpmdFields.readU8(in, m, "NodeType");
        int protocol = EpmdFields.readU8(in, m, "Protocol");
        int highest = EpmdFields.readU16(in, m, "HighestVersion");
        int lowest = EpmdFields.readU16(in, m, "LowestVersion");
        String name = EpmdFields.readName(in, EpmdFields.readU16(in, m, "Nlen"), m, "NodeName");
        byte[] extra = EpmdFields.readExtra(in, EpmdFields.readU16(in, m, "Elen"), m, "Extra");
        return new NodeEntry(port, nodeType, protocol, highest, lowest, name, extra);
    }

    /** Writes PORT2_RESP; the sender closes the connection after it. */
    public static void encodePort2Response(Port2Response response, ByteBuf out) {
        out.writeByte(PORT2_RESP);
        if (response instanceof Port2Response.NotFound notFound) {
            out.writeByte(notFound.result());
            return;
        }
        out.writeByte(0);
        writeNode(out, ((Port2Response.Found) response).node());
    }

    /** Parses a complete PORT2_RESP: every byte read until epmd closed the connection. */
    public static Port2Response decodePort2Response(ByteBuf reply) {
        String m = "PORT2_RESP";
        int tag = EpmdFields.readU8(reply, m, "tag");
        if (tag != PORT2_RESP) {
            throw new EpmdException(Reason.MALFORMED, m + " tag is " + tag + ", expected " + PORT2_RESP + " ('w')");
        }
        int result = EpmdFields.readU8(reply, m, "Result");
        if (result != 0) {
            EpmdFields.expectEnd(reply, m + " (error)");
            return new Port2Response.NotFound(result);
        }
        Port2Response.Found found = new Port2Response.Found(readNode(reply, m));
        EpmdFields.expectEnd(reply, m);
        return found;
    }

    /** Writes NAMES_RESP in epmd's line format; the sender closes the connection after it. */
    public static void encodeNamesResponse(NamesResponse response, ByteBuf out) {
        out.writeInt(response.epmdPort());
        for (NamesResponse.Entry entry : response.entries()) {
            out.writeBytes(NAMES_LINE_PREFIX);
            ByteBufUtil.writeUtf8(out, entry.name());
            out.writeBytes(NAMES_LINE_PORT);
            out.writeCharSequence(Integer.toString(entry.port()), StandardCharsets.US_ASCII);
            out.writeByte('\n');
        }
    }

    /**
     * Parses a complete NAMES_RESP. Stricter than {@code erl_epmd}, which skips lines it cannot
     * parse: a line distgate cannot read means the peer is not the epmd it was configured to ask.
     */
    public static NamesResponse decodeNamesResponse(ByteBuf reply) {
        long epmdPort = EpmdFields.readU32(reply, "NAMES_RESP", "EPMDPortNo");
        if (epmdPort > 0xFFFF) {
            throw new EpmdException(Reason.MALFORMED, "NAMES_RESP EPMDPortNo is " + epmdPort + ", limit 65535");
        }
        List<NamesResponse.Entry> entries = new ArrayList<>();
        while (reply.isReadable()) {
            int newline = reply.indexOf(reply.readerIndex(), reply.writerIndex(), (byte) '\n');
            if (newline < 0) {
                throw new EpmdException(Reason.TRUNCATED, "NAMES_RESP line " + (entries.size() + 1) + " has no newline ("
                        + reply.readableBytes() + " bytes before the close)");
            }
            ByteBuf line = reply.readSlice(newline - reply.readerIndex());
            reply.skipBytes(1);
            entries.add(decodeNamesLine(line, entries.size() + 1));
        }
        return new NamesResponse((int) epmdPort, entries);
    }

    private static NamesResponse.Entry decodeNamesLine(ByteBuf line, int number) {
        String m = "NAMES_RESP line " + number;
        int portAt = lastIndexOf(line, NAMES_LINE_PORT);
        if (!startsWith(line, NAMES_LINE_PREFIX) || portAt < line.readerIndex() + NAMES_LINE_PREFIX.length) {
            throw new EpmdException(Reason.MALFORMED, m + " is not 'name <name> at port <port>': '"
                    + EpmdFields.printable(line) + "'");
        }
        line.skipBytes(NAMES_LINE_PREFIX.length);
        String name = EpmdFields.readName(line, portAt - line.readerIndex(), m, "name");
        line.skipBytes(NAMES_LINE_PORT.length);
        int digits = line.readableBytes();
        if (digits < 1 || digits > MAX_PORT_DIGITS) {
            throw new EpmdException(Reason.MALFORMED, m + " port has " + digits + " digits, expected 1.." + MAX_PORT_DIGITS);
        }
        int port = 0;
        while (line.isReadable()) {
            int c = line.readByte();
            if (c < '0' || c > '9') {
                throw new EpmdException(Reason.MALFORMED, m + " port has a non-digit byte " + (c & 0xFF));
            }
            port = port * 10 + (c - '0');
        }
        if (port > 0xFFFF) {
            throw new EpmdException(Reason.MALFORMED, m + " port is " + port + ", limit 65535");
        }
        return new NamesResponse.Entry(name, port);
    }

    /** Writes ALIVE2_X_RESP or ALIVE2_RESP, as {@link Alive2Response#extended()} says. */
    public static void encodeAlive2Response(Alive2Response response, ByteBuf out) {
        out.writeByte(response.extended() ? ALIVE2_X_RESP : ALIVE2_RESP);
        out.writeByte(response.result());
        if (response.extended()) {
            out.writeInt((int) response.creation());
        } else {
            out.writeShort((int) response.creation());
        }
    }

    /**
     * Total length of the ALIVE2 reply that starts with {@code tag}. The registration connection
     * stays open, so a reader cannot wait for the close and must know the length from the tag.
     */
    public static int alive2ResponseLength(int tag) {
        if (tag == ALIVE2_X_RESP) {
            return 6;
        }
        if (tag == ALIVE2_RESP) {
            return 4;
        }
        throw new EpmdException(Reason.MALFORMED, "ALIVE2 reply tag is " + tag + ", expected " + ALIVE2_X_RESP
                + " (ALIVE2_X_RESP) or " + ALIVE2_RESP + " (ALIVE2_RESP)");
    }

    /** Parses one complete ALIVE2_X_RESP or ALIVE2_RESP. */
    public static Alive2Response decodeAlive2Response(ByteBuf reply) {
        int tag = EpmdFields.readU8(reply, "ALIVE2 reply", "tag");
        boolean extended = alive2ResponseLength(tag) == 6;
        String m = extended ? "ALIVE2_X_RESP" : "ALIVE2_RESP";
        int result = EpmdFields.readU8(reply, m, "Result");
        long creation = extended ? EpmdFields.readU32(reply, m, "Creation") : EpmdFields.readU16(reply, m, "Creation");
        EpmdFields.expectEnd(reply, m);
        return new Alive2Response(result, creation, extended);
    }

    private static void writeName(ByteBuf out, String name) {
        int lengthIndex = out.writerIndex();
        out.writeShort(0);
        int length = ByteBufUtil.writeUtf8(out, name);
        out.setShort(lengthIndex, length);
    }

    private static String describeCode(int tag) {
        return switch (tag) {
            case DUMP_REQ -> " (DUMP_REQ)";
            case KILL_REQ -> " (KILL_REQ)";
            case STOP_REQ -> " (STOP_REQ)";
            default -> "";
        };
    }

    private static boolean startsWith(ByteBuf buf, byte[] prefix) {
        if (buf.readableBytes() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buf.getByte(buf.readerIndex() + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Absolute index of the last occurrence of {@code needle}, or -1. The last one, because a name may contain it. */
    private static int lastIndexOf(ByteBuf buf, byte[] needle) {
        for (int start = buf.writerIndex() - needle.length; start >= buf.readerIndex(); start--) {
            int i = 0;
            while (i < needle.length && buf.getByte(start + i) == needle[i]) {
                i++;
            }
            if (i == needle.length) {
                return start;
            }
        }
        return -1;
    }
}
