package io.distgate.bridge.epmd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.distgate.bridge.epmd.EpmdException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class EpmdCodecTest {

    // ---- requests: encoding -------------------------------------------------------------

    @Test
    void encodesPortPlease2WithLengthPrefixAndNoTerminator() {
        assertThat(encode(new PortPlease2Request("foo"))).containsExactly(Bytes.array(
                0x00, 0x04,   // Length 4
                122,          // PORT_PLEASE2_REQ ('z')
                "foo"));      // NodeName
    }

    @Test
    void encodesNamesRequestAsLengthOneAndTheCode() {
        assertThat(encode(new NamesRequest())).containsExactly(Bytes.array(
                0x00, 0x01,   // Length 1
                110));        // NAMES_REQ ('n')
    }

    @Test
    void encodesAlive2RequestAsErlEpmdDoes() {
        Alive2Request request = new Alive2Request(new NodeEntry(45678, 77, 0, 6, 6, "foo", new byte[0]));
        assertThat(encode(request)).containsExactly(Bytes.array(
                0x00, 0x10,   // Length 16
                120,          // ALIVE2_REQ ('x')
                0xB2, 0x6E,   // PortNo 45678
                77,           // NodeType 'M'
                0,            // Protocol TCP
                0x00, 0x06,   // HighestVersion 6
                0x00, 0x06,   // LowestVersion 6
                0x00, 0x03,   // Nlen 3
                "foo",        // NodeName
                0x00, 0x00)); // Elen 0, no Extra
    }

    @Test
    void decodesWhatItEncodesForEveryRequest() {
        List<EpmdRequest> requests = List.of(new PortPlease2Request("n\u00f6de@host"), new NamesRequest(),
                new Alive2Request(new NodeEntry(1, 72, 0, 6, 5, "c_node", new byte[] {1, 2, 3})));
        for (EpmdRequest request : requests) {
            ByteBuf wire = Unpooled.wrappedBuffer(encode(request));
            wire.skipBytes(2);

            assertThat(EpmdCodec.decodeRequest(wire)).isEqualTo(request);
            assertThat(wire.isReadable()).isFalse();
        }
    }

    @Test
    void rejectsEmptyRequestBody() {
        EpmdException e = rejected(EpmdCodec::decodeRequest, Bytes.buf());

        assertThat(e.kind()).isEqualTo(Reason.TRUNCATED);
        assertThat(e).hasMessageContaining("code");
    }

    @Test
    void refusesToBuildPortPlease2WithEmptyName() {
        assertThatThrownBy(() -> new PortPlease2Request("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NodeName");
    }

    // ---- PORT2_RESP -----------------------------------------------------------------------

    @Test
    void decodesPort2ResponseForARegisteredNode() {
        ByteBuf reply = Bytes.buf(
                119,          // PORT2_RESP ('w')
                0,            // Result 0: found
                0xB2, 0x6E,   // PortNo 45678
                77,           // NodeType 'M'
                0,            // Protocol TCP
                0x00, 0x06,   // HighestVersion 6
                0x00, 0x05,   // LowestVersion 5
                0x00, 0x03,   // Nlen 3
                "foo",        // NodeName
                0x00, 0x00);  // Elen 0

        assertThat(EpmdCodec.decodePort2Response(reply))
                .isEqualTo(new Port2Response.Found(new NodeEntry(45678, 77, 0, 6, 5, "foo", new byte[0])));
        assertThat(reply.isReadable()).isFalse();
    }

    @Test
    void decodesPort2ResponseWithExtra() {
        ByteBuf reply = Bytes.buf(
                119, 0,       // PORT2_RESP, Result 0
                0x00, 0x01,   // PortNo 1
                104,          // NodeType 'h', as erl_interface registers
                0,            // Protocol TCP
                0x00, 0x06,   // HighestVersion 6
                0x00, 0x06,   // LowestVersion 6
                0x00, 0x01,   // Nlen 1
                "c",          // NodeName
                0x00, 0x02,   // Elen 2
                0xBE, 0xEF);  // Extra

        Port2Response.Found found = (Port2Response.Found) EpmdCodec.decodePort2Response(reply);

        assertThat(found.node().nodeType()).isEqualTo(104);
        assertThat(found.node().extra()).containsExactly(0xBE, 0xEF);
    }

    @Test
    void decodesPort2ResponseForAnUnknownNode() {
        ByteBuf reply = Bytes.buf(
                119,          // PORT2_RESP ('w')
                1);           // Result 1: not registered; epmd closes here

        assertThat(EpmdCodec.decodePort2Response(reply)).isEqualTo(new Port2Response.NotFound(1));
    }

    @Test
    void rejectsPort2ResponseWithWrongTag() {
        // What a client sees when it asks an HTTP server by mistake.
        EpmdException e = rejected(EpmdCodec::decodePort2Response, Bytes.buf("HTTP/1.1 400 Bad Request\r\n\r\n"));

        assertThat(e.kind()).isEqualTo(Reason.MALFORMED);
        assertThat(e).hasMessageContaining("PORT2_RESP tag is 72, expected 119");
    }

    @Test
    void rejectsEmptyPort2Response() {
        EpmdException e = rejected(EpmdCodec::decodePort2Response, Bytes.buf()); // epmd closed without a byte

        assertThat(e.kind()).isEqualTo(Reason.TRUNCATED);
        assertThat(e).hasMessageContaining("PORT2_RESP tag needs 1 bytes, only 0 left");
    }

    @Test
    void rejectsPort2ResponseCutInsideTheName() {
        EpmdException e = rejected(EpmdCodec::decodePort2Response, Bytes.buf(
                119, 0,       // PORT2_RESP, Result 0
                0xB2, 0x6E,   // PortNo
                77, 0,        // NodeType, Protocol
                0x00, 0x06,   // HighestVersion
                0x00, 0x06,   // LowestVersion
                0x00, 0x03,   // Nlen 3
                "fo"));       // only 2 name bytes before the close

        assertThat(e.kind()).isEqualTo(Reason.TRUNCATED);
        assertThat(e).hasMessageContaining("NodeName needs 3 bytes, only 2 left");
    }

    @Test
    void rejectsPort2ResponseWithNameLongerThanEpmdStores() {
        EpmdException e = rejected(EpmdCodec::decodePort2Response, Bytes.buf(
                119, 0,       // PORT2_RESP, Result 0
                0xB2, 0x6E,   // PortNo
                77, 0,        // NodeType, Protocol
                0x00, 0x06,   // HighestVersion
                0x00, 0x06,   // LowestVersion
                0x04, 0x00,   // Nlen 1024, over MAX_NAME_BYTES
                Bytes.repeat('a', 1024),
                0x00, 0x00)); // Elen 0

        assertThat(e.kind()).isEqualTo(Reason.OVERSIZED);
        assertThat(e).hasMessageContaining("1024 bytes, limit 1020 (MAX_NAME_BYTES)");
    }

    @Test
    void rejectsBytesAfterPort2ErrorResult() {
        EpmdException e = rejected(EpmdCodec::decodePort2Response, Bytes.buf(
                119, 1,       // PORT2_RESP, Result 1
                0x00));       // epmd sends nothing after an error result

        assertThat(e.kind()).isEqualTo(Reason.TRAILING_BYTES);
        assertThat(e).hasMessageContaining("followed by 1 unexpected bytes");
    }

    @Test
    void encodesPort2ResponsesAsItDecodesThem() {
        List<Port2Response> responses = List.of(new Port2Response.NotFound(1),
                new Port2Response.Found(new NodeEntry(45678, 77, 0, 6, 6, "n\u00f6de", new byte[] {9})));
        for (Port2Response response : responses) {
            ByteBuf wire = Unpooled.buffer();
            EpmdCodec.encodePort2Response(response, wire);

            assertThat(EpmdCodec.decodePort2Response(wire)).isEqualTo(response);
        }
    }

    // ---- NAMES_RESP -----------------------------------------------------------------------

    @Test
    void decodesNamesResponseWithTwoNodes() {
        ByteBuf reply = Bytes.buf(
                0x00, 0x00, 0x11, 0x11,        // EPMDPortNo 4369
                "name foo at port 45678\n",    // first registered node
                "name bar at port 1025\n");    // second registered node; epmd closes here

        assertThat(EpmdCodec.decodeNamesResponse(reply)).isEqualTo(new NamesResponse(4369,
                List.of(new NamesResponse.Entry("foo", 45678), new NamesResponse.Entry("bar", 1025))));
    }

    @Test
    void decodesNamesResponseWithNoNodes() {
        ByteBuf reply = Bytes.buf(0x00, 0x00, 0x11, 0x11); // EPMDPortNo 4369 and nothing else

        assertThat(EpmdCodec.decodeNamesResponse(reply)).isEqualTo(new NamesResponse(4369, List.of()));
    }

    @Test
    void decodesNamesResponseWithUtf8Name() {
        ByteBuf reply = Bytes.buf(
                0x00, 0x00, 0x11, 0x11,         // EPMDPortNo 4369
                "name n\u00f6de at port 7\n");  // epmd stores names as UTF-8

        assertThat(EpmdCodec.decodeNamesResponse(reply).entries()).containsExactly(new NamesResponse.Entry("n\u00f6de", 7));
    }

    @Test
    void rejectsNamesResponseShorterThanThePortField() {
        EpmdException e = rejected(EpmdCodec::decodeNamesResponse, Bytes.buf(0x00, 0x00)); // 2 of 4 port bytes

        assertThat(e.kind()).isEqualTo(Reason.TRUNCATED);
        assertThat(e).hasMessageContaining("EPMDPortNo needs 4 bytes, only 2 left");
    }

    @Test
    void rejectsNamesResponseWhoseLastLineHasNoNewline() {
        EpmdException e = rejected(EpmdCodec::decodeNamesResponse, Bytes.buf(
                0x00, 0x00, 0x11, 0x11,        // EPMDPortNo 4369
                "name foo at port 45678\n",    // complete line
                "name bar at po"));            // cut by the close

        assertThat(e.kind()).isEqualTo(Reason.TRUNCATED);
        assertThat(e).hasMessageContaining("line 2 has no newline");
    }

    @Test
    void rejectsNamesResponseLineInAnotherFormat() {
        EpmdException e = rejected(EpmdCodec::decodeNamesResponse, Bytes.buf(
                0x00, 0x00, 0x11, 0x11,                     // EPMDPortNo 4369
                "active name     <foo> at port 1, fd = 7\n")); // a DUMP_RESP line, not a NAMES_RESP line

        assertThat(e.kind()).isEqualTo(Reason.MALFORMED);
        assertThat(e).hasMessageContaining("line 1 is not 'name <name> at port <port>'");
    }

    @Test
    void rejectsNamesResponsePortAboveSixteenBits() {
        EpmdException e = rejected(EpmdCodec::decodeNamesResponse, Bytes.buf(
                0x00, 0x00, 0x11, 0x11,        // EPMDPortNo 4369
                "name foo at port 65536\n"));  // port one above the TCP range

        assertThat(e.kind()).isEqualTo(Reason.MALFORMED);
        assertThat(e).hasMessageContaining("port is 65536, limit 65535");
    }

    @Test
    void rejectsNamesResponsePortWithNonDigit() {
        EpmdException e = rejected(EpmdCodec::decodeNamesResponse, Bytes.buf(
                0x00, 0x00, 0x11, 0x11,        // EPMDPortNo 4369
                "name foo at port 4x\n"));

        assertThat(e.kind()).isEqualTo(Reason.MALFORMED);
        assertThat(e).hasMessageContaining("non-digit");
    }

    @Test
    void rejectsNamesResponseEpmdPortAboveSixteenBits() {
        EpmdException e = rejected(EpmdCodec::decodeNamesResponse, Bytes.buf(
                0x00, 0x01, 0x00, 0x00));      // EPMDPortNo 65536

        assertThat(e.kind()).isEqualTo(Reason.MALFORMED);
        assertThat(e).hasMessageContaining("EPMDPortNo is 65536");
    }

    @Test
    void encodesNamesResponseInEpmdsLineFormat() {
        ByteBuf wire = Unpooled.buffer();

        EpmdCodec.encodeNamesResponse(new NamesResponse(4369, List.of(new NamesResponse.Entry("foo", 45678))), wire);

        assertThat(ByteBufUtil.getBytes(wire)).containsExactly(Bytes.array(
                0x00, 0x00, 0x11, 0x11,        // EPMDPortNo 4369
                "name foo at port 45678\n"));
    }

    // ---- ALIVE2 replies -------------------------------------------------------------------

    @Test
    void decodesAlive2ExtendedResponseWithThirtyTwoBitCreation() {
        ByteBuf reply = Bytes.buf(
                118,                          // ALIVE2_X_RESP ('v')
                0,                            // Result 0: registered
                0xF0, 0x00, 0x00, 0x01);      // Creation 4026531841, above 2^31

        assertThat(EpmdCodec.decodeAlive2Response(reply)).isEqualTo(new Alive2Response(0, 0xF000_0001L, true));
    }

    @Test
    void decodesAlive2ResponseWithSixteenBitCreation() {
        ByteBuf reply = Bytes.buf(
                121,                          // ALIVE2_RESP ('y'), for HighestVersion < 6
                0,                            // Result 0
                0x00, 0x03);                  // Creation 3

        assertThat(EpmdCodec.decodeAlive2Response(reply)).isEqualTo(new Alive2Response(0, 3, false));
    }

    @Test
    void decodesRefusedRegistration() {
        ByteBuf reply = Bytes.buf(
                118,                          // ALIVE2_X_RESP
                1,                            // Result 1: name taken
                0x00, 0x00, 0x00, 0x63);      // Creation, meaningless

        assertThat(EpmdCodec.decodeAlive2Response(reply).registered()).isFalse();
    }

    @Test
    void rejectsAlive2ReplyWithUnknownTag() {
        EpmdException e = rejected(EpmdCodec::decodeAlive2Response, Bytes.buf(119, 1)); // a PORT2_RESP instead

        assertThat(e.kind()).isEqualTo(Reason.MALFORMED);
        assertThat(e).hasMessageContaining("ALIVE2 reply tag is 119");
    }

    @Test
    void encodesAlive2ResponsesAsItDecodesThem() {
        for (Alive2Response response : List.of(new Alive2Response(0, 0xFFFF_FFFFL, true), new Alive2Response(0, 2, false))) {
            ByteBuf wire = Unpooled.buffer();
            EpmdCodec.encodeAlive2Response(response, wire);

            assertThat(wire.readableBytes()).isEqualTo(EpmdCodec.alive2ResponseLength(wire.getUnsignedByte(0)));
            assertThat(EpmdCodec.decodeAlive2Response(wire)).isEqualTo(response);
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    private static byte[] encode(EpmdRequest request) {
        ByteBuf wire = Unpooled.buffer();
        EpmdCodec.encodeRequest(request, wire);
        return ByteBufUtil.getBytes(wire);
    }

    private static EpmdException rejected(Function<ByteBuf, ?> decoder, ByteBuf input) {
        EpmdException e = catchThrowableOfType(EpmdException.class, () -> decoder.apply(input));
        assertThat(e).as("expected an EpmdException").isNotNull();
        return e;
    }
}
