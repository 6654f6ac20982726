package io.distgate.bridge.session;

import io.distgate.bridge.handshake.HandshakeCodec;
import io.distgate.bridge.handshake.HandshakeMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.HexFormat;

/** Handshake frames and distribution packets for session tests. */
final class Frames {

    /** {2, '', Pid} from OTP 25: a SEND control message (see the etf tests' OtpVectors). */
    static final String SEND_CONTROL = "8368036102770058770B78406C6F63616C686F737400000055000000006B0A693C";

    private Frames() {
    }

    /** Handshake messages, each with its 2-byte length, in one buffer. */
    static ByteBuf of(HandshakeMessage... messages) {
        ByteBuf out = Unpooled.buffer();
        for (HandshakeMessage m : messages) {
            ByteBuf body = Unpooled.buffer();
            HandshakeCodec.encode(m, body);
            out.writeShort(body.readableBytes()).writeBytes(body);
        }
        return out;
    }

    /** The next handshake message the gateway wrote on {@code ch} as initiator (gathered across writes). */
    static HandshakeMessage readFromInitiatorSide(EmbeddedChannel ch) {
        return HandshakeCodec.decodeFromInitiator(nextFrame(ch));
    }

    /** The next handshake message the gateway wrote on {@code ch} as acceptor. */
    static HandshakeMessage readFromAcceptorSide(EmbeddedChannel ch) {
        return HandshakeCodec.decodeFromAcceptor(nextFrame(ch));
    }

    private static ByteBuf nextFrame(EmbeddedChannel ch) {
        ByteBuf gathered = Unpooled.buffer();
        while (gathered.readableBytes() < 2 || gathered.readableBytes() < 2 + gathered.getUnsignedShort(0)) {
            ByteBuf next = ch.readOutbound();
            if (next == null) {
                throw new AssertionError("the gateway wrote no (complete) handshake message; have " + gathered.readableBytes() + " bytes");
            }
            gathered.writeBytes(next);
            next.release();
        }
        int length = gathered.readUnsignedShort();
        return gathered.readSlice(length);
    }

    /** A 4-byte-framed pass-through SEND packet whose payload is a binary of {@code payloadSize} bytes. */
    static byte[] passThroughPacket(int payloadSize) {
        byte[] control = HexFormat.of().parseHex(SEND_CONTROL);
        ByteBuf body = Unpooled.buffer();
        body.writeByte(112).writeBytes(control);
        body.writeByte(131).writeByte(109).writeInt(payloadSize);
        for (int i = 0; i < payloadSize; i++) {
            body.writeByte(i * 31);
        }
        ByteBuf packet = Unpooled.buffer();
        packet.writeInt(body.readableBytes()).writeBytes(body);
        byte[] bytes = new byte[packet.readableBytes()];
        packet.readBytes(bytes);
        return bytes;
    }
}
