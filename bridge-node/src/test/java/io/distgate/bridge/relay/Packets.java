package io.distgate.bridge.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Distribution packets as they cross a leg after the handshake (reference section 4.1): a 4-byte
 * length, then PASS_THROUGH (112) · 131 control tuple · [131 payload]. The control and payload
 * terms are real OTP 25 encodings, copied from {@code io.distgate.bridge.etf.OtpVectors} (which is
 * package-private there); pids are NEW_PID_EXT of node {@code x@localhost}.
 */
final class Packets {

    static final int LINK_OP = 1;
    static final int SEND_OP = 2;
    static final int NODE_LINK_OP = 5;
    static final int REG_SEND_OP = 6;

    /** {1, From, To}: no payload. */
    static final byte[] LINK = body(""
            + "83" + "6803" + "6101"                                          // 131, {_, _, _}, 1
            + "58770B78406C6F63616C686F737400000009000000006B0A693C"          // From
            + "58770B78406C6F63616C686F737400000055000000006B0A693C",         // To
            "");

    /** {2, '', To} + {hello, <<"world">>, 1.5} */
    static final byte[] SEND = body(""
            + "83" + "6803" + "6102"                                          // 131, {_, _, _}, 2
            + "7700"                                                          // '' (unused cookie)
            + "58770B78406C6F63616C686F737400000055000000006B0A693C",         // To
            "83" + "6803" + "770568656C6C6F" + "6D00000005776F726C64" + "463FF8000000000000");

    /** {6, From, '', rex} + {'$gen_call', {From, Ref}, {call, erlang, node, [], Gl}} */
    static final byte[] REG_SEND = body(""
            + "83" + "6804" + "6106"                                          // 131, {_, _, _, _}, 6
            + "58770B78406C6F63616C686F737400000009000000006B0A693C"          // From
            + "7700" + "7703726578",                                          // '', rex
            "83680377092467656E5F63616C6C680258770B78406C6F63616C686F737400000009000000006B0A693C"
            + "5A0003770B78406C6F63616C686F73746B0A693C0003317096100001EC1803D26805770463616C6C77"
            + "0665726C616E6777046E6F64656A58770B78406C6F63616C686F737400000047000000006B0A693C");

    /** {5}: the shortest control message, shorter than the framer's outbound peek window. */
    static final byte[] NODE_LINK = body("83" + "6801" + "6105", "");

    /** Offset in {@link #SEND} just after its control term: 112, 131, tuple header, 2, '', To. */
    static final int SEND_CONTROL_END = 1 + 1 + 2 + 2 + 2 + 26;

    /** A tick: a packet of length 0 (section 4.2). */
    static final byte[] TICK = new byte[4];

    private Packets() {
    }

    /** PASS_THROUGH (112), then the control term and the payload term, each with its own 131. */
    static byte[] body(String controlHex, String payloadHex) {
        return concat(new byte[] {112}, hex(controlHex), hex(payloadHex));
    }

    /** {2, '', To} with a payload of one BINARY_EXT of {@code size} bytes (pattern 0, 1, 2, …). */
    static byte[] sendWithBinary(int size) {
        byte[] control = hex("83" + "6803" + "6102" + "7700"
                + "58770B78406C6F63616C686F737400000055000000006B0A693C");
        ByteBuffer payload = ByteBuffer.allocate(1 + 1 + 4 + size);
        payload.put((byte) 131).put((byte) 109).putInt(size);        // 131, BINARY_EXT, Len
        for (int i = 0; i < size; i++) {
            payload.put((byte) i);
        }
        return concat(new byte[] {112}, control, payload.array());
    }

    /** The body behind its 4-byte big-endian length. */
    static byte[] framed(byte[] body) {
        return concat(ByteBuffer.allocate(4).putInt(body.length).array(), body);
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Cuts {@code bytes} at the given offsets into separately reference-counted buffers. */
    static List<ByteBuf> cut(byte[] bytes, int... at) {
        List<ByteBuf> pieces = new ArrayList<>();
        int from = 0;
        for (int to : at) {
            pieces.add(copy(bytes, from, to));
            from = to;
        }
        pieces.add(copy(bytes, from, bytes.length));
        return pieces;
    }

    /** One buffer per {@code size} bytes. */
    static List<ByteBuf> chunks(byte[] bytes, int size) {
        List<ByteBuf> pieces = new ArrayList<>();
        for (int from = 0; from < bytes.length; from += size) {
            pieces.add(copy(bytes, from, Math.min(bytes.length, from + size)));
        }
        return pieces;
    }

    /** Its own buffer even when empty (Unpooled.wrappedBuffer would share EMPTY_BUFFER, never released). */
    private static ByteBuf copy(byte[] bytes, int from, int to) {
        return Unpooled.buffer(to - from).writeBytes(bytes, from, to - from);
    }
}
