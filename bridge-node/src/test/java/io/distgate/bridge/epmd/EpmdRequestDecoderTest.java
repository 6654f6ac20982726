package io.distgate.bridge.epmd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.distgate.bridge.epmd.EpmdException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EpmdRequestDecoderTest {

    // ---- valid requests ------------------------------------------------------------------

    static Stream<Arguments> validRequests() {
        return Stream.of(
                Arguments.of("PORT_PLEASE2_REQ, alive part", Bytes.array(
                        0x00, 0x04,       // Length 4
                        122,              // PORT_PLEASE2_REQ ('z')
                        "foo"),           // NodeName, no terminator
                        new PortPlease2Request("foo")),
                Arguments.of("PORT_PLEASE2_REQ, full name for the distgate name service", Bytes.array(
                        0x00, 0x0B,       // Length 11
                        122,              // PORT_PLEASE2_REQ ('z')
                        "foo@site-b"),    // NodeName: alive@host
                        new PortPlease2Request("foo@site-b")),
                Arguments.of("PORT_PLEASE2_REQ, UTF-8 name", Bytes.array(
                        0x00, 0x06,       // Length 6
                        122,              // PORT_PLEASE2_REQ ('z')
                        "n\u00f6de"),     // NodeName "nöde": 'ö' is 2 bytes, 5 bytes in all
                        new PortPlease2Request("n\u00f6de")),
                Arguments.of("NAMES_REQ", Bytes.array(
                        0x00, 0x01,       // Length 1
                        110),             // NAMES_REQ ('n')
                        new NamesRequest()),
                Arguments.of("ALIVE2_REQ", Bytes.array(
                        0x00, 0x12,       // Length 18
                        120,              // ALIVE2_REQ ('x')
                        0xB2, 0x6E,       // PortNo 45678
                        77,               // NodeType 'M', normal node
                        0,                // Protocol 0, TCP
                        0x00, 0x06,       // HighestVersion 6
                        0x00, 0x06,       // LowestVersion 6
                        0x00, 0x03,       // Nlen 3
                        "foo",            // NodeName
                        0x00, 0x02,       // Elen 2
                        0xCA, 0xFE),      // Extra
                        new Alive2Request(new NodeEntry(45678, 77, 0, 6, 6, "foo",
                                new byte[] {(byte) 0xCA, (byte) 0xFE}))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validRequests")
    void decodesRequestDeliveredInOneRead(String what, byte[] wire, EpmdRequest expected) {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());
        ByteBuf in = Unpooled.wrappedBuffer(wire);

        assertThat(channel.writeInbound(in)).isTrue();
        EpmdRequest request = channel.readInbound();

        assertThat(request).isEqualTo(expected);
        assertThat(in.refCnt()).isZero();
        assertThat(channel.finish()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validRequests")
    void decodesRequestSplitAtEveryBytePosition(String what, byte[] wire, EpmdRequest expected) {
        for (int split = 1; split < wire.length; split++) {
            EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());

            assertThat(channel.writeInbound(Unpooled.wrappedBuffer(wire, 0, split)))
                    .as("split at %d: first part alone", split).isFalse();
            assertThat(channel.writeInbound(Unpooled.wrappedBuffer(wire, split, wire.length - split)))
                    .as("split at %d: second part completes the request", split).isTrue();
            EpmdRequest request = channel.readInbound();

            assertThat(request).as("split at %d", split).isEqualTo(expected);
            assertThat(channel.finish()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validRequests")
    void decodesRequestFedOneByteAtATime(String what, byte[] wire, EpmdRequest expected) {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());

        for (int i = 0; i < wire.length - 1; i++) {
            assertThat(channel.writeInbound(Unpooled.wrappedBuffer(wire, i, 1))).as("byte %d", i).isFalse();
        }
        assertThat(channel.writeInbound(Unpooled.wrappedBuffer(wire, wire.length - 1, 1))).isTrue();
        EpmdRequest request = channel.readInbound();

        assertThat(request).isEqualTo(expected);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void acceptsPortPlease2WithOneTrailingNulAsOldClientsSentIt() {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());

        assertThat(channel.writeInbound(Bytes.buf(
                0x00, 0x05,   // Length 5
                122,          // PORT_PLEASE2_REQ
                "foo",        // NodeName
                0x00))).isTrue(); // NUL terminator, dropped as epmd_srv.c does
        EpmdRequest request = channel.readInbound();

        assertThat(request).isEqualTo(new PortPlease2Request("foo"));
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void passesRequestOfExactlyTheCapToTheCodec() {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());
        int length = EpmdRequestDecoder.MAX_REQUEST_LENGTH;

        EpmdException rejection = rejection(() -> channel.writeInbound(Bytes.buf(
                length >> 8, length & 0xFF,    // Length 3057, the cap
                122,                           // PORT_PLEASE2_REQ
                Bytes.repeat('a', length - 1)))); // NodeName of 3056 bytes

        // The frame was accepted; the name rule (1020 bytes) is what rejects it.
        assertThat(rejection.kind()).isEqualTo(Reason.OVERSIZED);
        assertThat(rejection).hasMessageContaining("NodeName").hasMessageContaining("3056")
                .hasMessageContaining("1020");
    }

    // ---- malformed input, one test each ---------------------------------------------------

    @Test
    void rejectsDeclaredLengthZero() {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());
        ByteBuf in = Bytes.buf(0x00, 0x00); // Length 0: not even a request code

        EpmdException rejection = rejection(() -> channel.writeInbound(in));

        assertThat(rejection.kind()).isEqualTo(Reason.MALFORMED);
        assertThat(rejection.reason()).isEqualTo("malformed");
        assertThat(rejection).hasMessageContaining("length is 0").hasMessageContaining("MIN_REQUEST_LENGTH");
        assertClosedAndEmpty(channel, in);
    }

    @Test
    void rejectsDeclaredLengthOverTheCapBeforeAnyBodyArrives() {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());
        ByteBuf in = Bytes.buf(0x0B, 0xF2); // Length 3058, one over MAX_REQUEST_LENGTH; no body sent

        EpmdException rejection = rejection(() -> channel.writeInbound(in));

        assertThat(rejection.kind()).isEqualTo(Reason.OVERSIZED);
        assertThat(rejection).hasMessageContaining("3058").hasMessageContaining("3057")
                .hasMessageContaining("MAX_REQUEST_LENGTH");
        assertClosedAndEmpty(channel, in);
    }

    @Test
    void rejectsDeclaredLengthOfSixtyFourKilobytes() {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());
        ByteBuf in = Bytes.buf(0xFF, 0xFF, 122); // Length 65535, then the start of a body

        EpmdException rejection = rejection(() -> channel.writeInbound(in));

        assertThat(rejection.kind()).isEqualTo(Reason.OVERSIZED);
        assertThat(rejection).hasMessageContaining("65535");
        assertClosedAndEmpty(channel, in);
    }

    @Test
    void rejectsUnknownRequestCode() {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());
        ByteBuf in = Bytes.buf(
                0x00, 0x01,  // Length 1
                0x01);       // request code 1: no such EPMD request

        EpmdException rejection = rejection(() -> channel.writeInbound(in));

        assertThat(rejection.kind()).isEqualTo(Reason.UNKNOWN_REQUEST);
        assertThat(rejection.reason()).isEqualTo("unknown_request");
        assertThat(rejection).hasMessageContaining("code 1 ");
        assertClosedAndEmpty(channel, in);
    }

    @Test
    void rejectsDumpRequestWhichOnlyLocalDebuggingUses() {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());
        ByteBuf in = Bytes.buf(
                0x00, 0x01,  // Length 1
                100);        // DUMP_REQ ('d')

        EpmdException rejection = rejection(() -> channel.writeInbound(in));

        assertThat(rejection.kind()).isEqualTo(Reason.UNKNOWN_REQUEST);
        assertThat(rejection).hasMessageContaining("100 (DUMP_REQ)");
        assertClosedAndEmpty(channel, in);
    }

    @Test
    void rejectsPortPlease2WithEmptyName() {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());
        ByteBuf in = Bytes.buf(
                0x00, 0x01,  // Length 1
                122);        // PORT_PLEASE2_REQ, and no NodeName

        EpmdException rejection = rejection(() -> channel.writeInbound(in));

        assertThat(rejection.kind()).isEqualTo(Reason.MALFORMED);
        assertThat(rejection).hasMessageContaining("PORT_PLEASE2_REQ NodeName is empty");
        assertClosedAndEmpty(channel, in);
    }

    @Test
    void rejectsPortPlease2WithOnlyANulTerminator() {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());
        ByteBuf in = Bytes.buf(
                0x00, 0x02,  // Length 2
                122,         // PORT_PLEASE2_REQ
                0x00);       // terminator of an empty NodeName

        EpmdException rejection = rejection(() -> channel.writeInbound(in));

        assertThat(rejection.kind()).isEqualTo(Reason.MALFORMED);
        assertThat(rejection).hasMessageContaining("NodeName is empty");
        assertClosedAndEmpty(channel, in);
    }

    @Test
    void rejectsPortPlease2WithNulInsideName() {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());
        ByteBuf in = Bytes.buf(
                0x00, 0x04,  // Length 4
                122,         // PORT_PLEASE2_REQ
                "f", 0x00, "o"); // NodeName with a NUL in the middle

        EpmdException rejection = rejection(() -> channel.writeInbound(in));

        assertThat(rejection.kind()).isEqualTo(Reason.MALFORMED);
        assertThat(rejection).hasMessageContaining("NUL");
        assertClosedAndEmpty(channel, in);
    }

    @Test
    void rejectsPortPlease2WithInvalidUtf8() {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());
        ByteBuf in = Bytes.buf(
                0x00, 0x03,  // Length 3
                122,         // PORT_PLEASE2_REQ
                0xC3, 0x28); // NodeName: a 2-byte UTF-8 lead followed by a non-continuation byte

        EpmdException rejection = rejection(() -> channel.writeInbound(in));

        assertThat(rejection.kind()).isEqualTo(Reason.MALFORMED);
        assertThat(rejection).hasMessageContaining("not valid UTF-8");
        assertClosedAndEmpty(channel, in);
    }

    @Test
    void rejectsPortPlease2NameOfMoreThan255Characters() {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());
        ByteBuf in = Bytes.buf(
                0x01, 0x01,  // Length 257
                122,         // PORT_PLEASE2_REQ
                Bytes.repeat('a', 256)); // NodeName, one character over the atom limit

        EpmdException rejection = rejection(() -> channel.writeInbound(in));

        assertThat(rejection.kind()).isEqualTo(Reason.OVERSIZED);
        assertThat(rejection).hasMessageContaining("256 characters").hasMessageContaining("limit 255");
        assertClosedAndEmpty(channel, in);
    }

    @Test
    void rejectsNamesRequestWithBytesAfterTheCode() {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());
        ByteBuf in = Bytes.buf(
                0x00, 0x02,  // Length 2
                110,         // NAMES_REQ
                0x00);       // a byte NAMES_REQ does not have

        EpmdException rejection = rejection(() -> channel.writeInbound(in));

        assertThat(rejection.kind()).isEqualTo(Reason.TRAILING_BYTES);
        assertThat(rejection).hasMessageContaining("NAMES_REQ");
        assertClosedAndEmpty(channel, in);
    }

    @Test
    void rejectsAlive2WhoseNameLengthRunsPastTheBody() {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());
        ByteBuf in = Bytes.buf(
                0x00, 0x0E,  // Length 14
                120,         // ALIVE2_REQ
                0xB2, 0x6E,  // PortNo 45678
                77, 0,       // NodeType, Protocol
                0x00, 0x06,  // HighestVersion 6
                0x00, 0x06,  // LowestVersion 6
                0x00, 0x09,  // Nlen 9, but only 3 bytes follow
                "foo");

        EpmdException rejection = rejection(() -> channel.writeInbound(in));

        assertThat(rejection.kind()).isEqualTo(Reason.TRUNCATED);
        assertThat(rejection).hasMessageContaining("ALIVE2_REQ NodeName needs 9 bytes, only 3 left");
        assertClosedAndEmpty(channel, in);
    }

    @Test
    void rejectsTruncatedLengthField() {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());

        assertThat(channel.writeInbound(Bytes.buf(0x00))).isFalse(); // first of the 2 length bytes, then close
        EpmdException rejection = rejection(channel::finish);

        assertThat(rejection.kind()).isEqualTo(Reason.TRUNCATED);
        assertThat(rejection).hasMessageContaining("1 of 2 length bytes");
        assertThat(channel.<EpmdRequest>readInbound()).isNull();
    }

    @Test
    void rejectsBodyCutShortByTheClose() {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());

        assertThat(channel.writeInbound(Bytes.buf(
                0x00, 0x04,  // Length 4
                122,         // PORT_PLEASE2_REQ
                "f"))).isFalse(); // 2 of the 4 body bytes, then close
        EpmdException rejection = rejection(channel::finish);

        assertThat(rejection.kind()).isEqualTo(Reason.TRUNCATED);
        assertThat(rejection).hasMessageContaining("2 of 4 body bytes");
        assertThat(channel.<EpmdRequest>readInbound()).isNull();
    }

    @Test
    void closeBeforeAnyByteIsNotAnError() {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());

        assertThat(channel.finish()).isFalse();
    }

    @Test
    void rejectsBytesAfterTheRequestInTheSameRead() {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());
        ByteBuf in = Bytes.buf(
                0x00, 0x01, 110,  // NAMES_REQ
                0x00, 0x01, 110); // a second request: epmd closes on this

        EpmdException rejection = rejection(() -> channel.writeInbound(in));

        assertThat(rejection.kind()).isEqualTo(Reason.TRAILING_BYTES);
        assertThat(rejection).hasMessageContaining("3 more bytes");
        assertClosedAndEmpty(channel, in);
    }

    @Test
    void rejectsSecondRequestOnTheSameConnection() {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());
        assertThat(channel.writeInbound(Bytes.buf(0x00, 0x01, 110))).isTrue(); // NAMES_REQ
        assertThat(channel.<EpmdRequest>readInbound()).isEqualTo(new NamesRequest());
        ByteBuf second = Bytes.buf(0x00, 0x01, 110);                           // NAMES_REQ again

        EpmdException rejection = rejection(() -> channel.writeInbound(second));

        assertThat(rejection.kind()).isEqualTo(Reason.TRAILING_BYTES);
        assertThat(rejection).hasMessageContaining("one request per connection");
        assertClosedAndEmpty(channel, second);
    }

    @Test
    void deliversTheRejectionWrappedInDecoderExceptionForTheNextHandler() {
        EmbeddedChannel channel = new EmbeddedChannel(new EpmdRequestDecoder());

        Throwable thrown = catchThrowable(() -> channel.writeInbound(Bytes.buf(0x00, 0x00)));

        assertThat(thrown).isInstanceOf(DecoderException.class).hasCauseInstanceOf(EpmdException.class);
        assertThat(EpmdException.find(thrown)).get().extracting(EpmdException::kind).isEqualTo(Reason.MALFORMED);
    }

    // ---- helpers --------------------------------------------------------------------------

    /** Runs {@code action}, which must be rejected, and returns the EPMD reason behind it. */
    private static EpmdException rejection(ThrowingCallable action) {
        Throwable thrown = catchThrowable(action);
        assertThat(thrown).as("expected an EPMD rejection").isNotNull();
        return EpmdException.find(thrown).orElseThrow(() -> new AssertionError("no EpmdException in " + thrown, thrown));
    }

    /** After a rejection: the channel is closed, nothing was passed on, the input was released. */
    private static void assertClosedAndEmpty(EmbeddedChannel channel, ByteBuf in) {
        assertThat(channel.isOpen()).isFalse();
        List<Object> passedOn = List.copyOf(channel.inboundMessages());
        assertThat(passedOn).isEmpty();
        assertThat(in.refCnt()).isZero();
        channel.finishAndReleaseAll();
    }
}
