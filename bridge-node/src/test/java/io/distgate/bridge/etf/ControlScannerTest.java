package io.distgate.bridge.etf;

import static io.distgate.bridge.etf.EtfAssertions.assertRejects;
import static io.distgate.bridge.etf.Hex.buffer;
import static io.distgate.bridge.etf.Hex.bytes;
import static io.distgate.bridge.etf.Hex.concat;
import static org.assertj.core.api.Assertions.assertThat;

import io.distgate.bridge.etf.OtpVectors.Vector;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole packet bodies. Each test frames the body behind its 4-byte length, as it sits in the
 * gateway's buffer, and scans from index 4.
 */
class ControlScannerTest {

    private static final int INCOMPLETE = ControlScanner.INCOMPLETE;
    /** The op code of {@link OtpVectors#UNKNOWN_OP}. */
    private static final int UNKNOWN_OP_CODE = 99;

    private final ControlScanner scanner = new ControlScanner(EtfLimits.DEFAULTS);

    static List<Vector> vectors() {
        return OtpVectors.ALL;
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void classifiesOtpControlMessage(Vector vector) {
        ByteBuf buf = framed(vector.body());

        int code = scanner.scan(buf, 4, buf.capacity(), vector.body().length);

        assertThat(code).isEqualTo(expectedCode(vector));
        assertThat(scanner.op()).isSameAs(vector.op());
        assertThat(scanner.controlEnd()).isEqualTo(4 + vector.controlEnd());
        assertThat(buf.readerIndex()).isZero();
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void waitsForEveryPrefixUntilTheControlTermIsComplete(Vector vector) {
        byte[] body = vector.body();
        byte[] framed = concat(lengthOf(body), body);
        for (int available = 0; available <= body.length; available++) {
            // A buffer that ends where the data ends, so any read past it fails.
            ByteBuf prefix = buffer(Arrays.copyOf(framed, 4 + available));

            int result = scanner.scan(prefix, 4, 4 + available, body.length);

            if (available < vector.controlEnd()) {
                assertThat(result).as("%d of %d bytes", available, body.length).isEqualTo(INCOMPLETE);
                assertThat(scanner.op()).isSameAs(ControlOp.UNKNOWN);
            } else {
                assertThat(result).as("%d of %d bytes", available, body.length).isEqualTo(expectedCode(vector));
                assertThat(scanner.controlEnd()).isEqualTo(4 + vector.controlEnd());
            }
        }
    }

    @Test
    void acceptsPayloadOpBeforeItsPayloadArrives() {
        byte[] body = OtpVectors.SEND.body();
        ByteBuf buf = framed(body);
        int controlEnd = 4 + OtpVectors.SEND.controlEnd();

        assertThat(scanner.scan(buf, 4, controlEnd, body.length)).isEqualTo(ControlOp.SEND.code());
        assertThat(scanner.controlEnd()).isEqualTo(controlEnd);
    }

    @Test
    void ignoresBytesOfTheNextPacket() {
        byte[] link = OtpVectors.LINK.body();
        // This packet, then a tick and the start of another packet.
        ByteBuf buf = buffer(concat(lengthOf(link), link, bytes("00000000 00000040 70 83")));

        assertThat(scanner.scan(buf, 4, buf.capacity(), link.length)).isEqualTo(ControlOp.LINK.code());
        assertThat(scanner.controlEnd()).isEqualTo(4 + link.length);
    }

    @Test
    void rejectsDistributionHeaderInsteadOfPassThrough() {
        // 131 68 NumberOfAtomCacheRefs 0, then LINK's control tuple without its own 131.
        byte[] body = concat(bytes("83 44 00"), withoutVersion(OtpVectors.LINK.control()));
        assertRejects(() -> scan(body), EtfException.NOT_PASS_THROUGH)
                .hasMessageStartingWith("packet starts with a distribution header (131 68)"
                        + " instead of PASS_THROUGH (112)")
                .hasMessageContaining("DIST_HDR_ATOM_CACHE and FRAGMENTS");
    }

    @Test
    void rejectsFragmentHeaderInsteadOfPassThrough() {
        // 131 69 SequenceId(8) FragmentId(8) NumberOfAtomCacheRefs 0
        byte[] body = bytes("83 45 0000000000000055 0000000000000002 00 6803 6102");
        assertRejects(() -> scan(body), EtfException.NOT_PASS_THROUGH).hasMessageContaining("(131 69)");
    }

    @Test
    void rejectsDistributionHeaderFromItsFirstByte() {
        ByteBuf buf = framed(bytes("83 44 00"));
        assertRejects(() -> scanner.scan(buf, 4, 5, 3), EtfException.NOT_PASS_THROUGH)
                .hasMessageContaining("(131)");
    }

    @Test
    void rejectsPacketStartingWithAnotherByte() {
        assertRejects(() -> scan(bytes("01 83 6801 6105")), EtfException.NOT_PASS_THROUGH)
                .hasMessage("packet starts with byte 1, expected PASS_THROUGH (112)");
    }

    @Test
    void rejectsControlMessageWithoutVersionByte() {
        // 112 then {5} without 131
        assertRejects(() -> scan(bytes("70 6801 6105")), EtfException.MALFORMED)
                .hasMessage("control message starts with byte 104 at offset 1, expected version 131");
    }

    @Test
    void rejectsPacketHoldingOnlyPassThrough() {
        assertRejects(() -> scan(bytes("70")), EtfException.MALFORMED)
                .hasMessageContaining("ends before the control message's version byte");
    }

    @Test
    void rejectsControlMessageThatIsNotATuple() {
        // 112 131 'link'
        assertRejects(() -> scan(bytes("70 83 7704 6C696E6B")), EtfException.BAD_CONTROL)
                .hasMessage("control message must be a tuple, found SMALL_ATOM_UTF8_EXT (119) at offset 2");
    }

    @Test
    void rejectsEmptyControlTuple() {
        assertRejects(() -> scan(bytes("70 83 6800")), EtfException.BAD_CONTROL)
                .hasMessage("control message is an empty tuple at offset 2");
    }

    @Test
    void rejectsOpThatIsNotAnInteger() {
        // {link}
        assertRejects(() -> scan(bytes("70 83 6801 7704 6C696E6B")), EtfException.BAD_CONTROL)
                .hasMessage("control message op must be SMALL_INTEGER_EXT or INTEGER_EXT,"
                        + " found SMALL_ATOM_UTF8_EXT (119) at offset 4");
    }

    @Test
    void rejectsNegativeOp() {
        // {-1}
        assertRejects(() -> scan(bytes("70 83 6801 62 FFFFFFFF")), EtfException.BAD_CONTROL)
                .hasMessage("control message op -1 at offset 4 is negative");
    }

    @Test
    void rejectsKnownOpWithWrongArity() {
        // {2, '', Pid, []} + [] : SEND with an extra element
        byte[] body = bytes("70 83 6804 6102 7700 58770B78406C6F63616C686F737400000055000000006B0A693B 6A 83 6A");
        assertRejects(() -> scan(body), EtfException.BAD_CONTROL)
                .hasMessage("SEND (2) control tuple has arity 4, expected 3");
    }

    @Test
    void rejectsWrongArityBeforeTheRestOfTheTermArrives() {
        // {2, ... : SEND announced as a 4-tuple in a 100-byte packet; only 6 bytes here so far.
        ByteBuf buf = framed(concat(bytes("70 83 6804 6102"), new byte[94]));
        assertRejects(() -> scanner.scan(buf, 4, 4 + 6, 100), EtfException.BAD_CONTROL)
                .hasMessage("SEND (2) control tuple has arity 4, expected 3");
    }

    @Test
    void rejectsAltactSigSendWithSixElements() {
        // {37, 0, Pid, logger, [], []} + []
        byte[] body = bytes("70 83 6806 6125 6100 58770B78406C6F63616C686F737400000055000000006B0A693B"
                + " 7706 6C6F67676572 6A 6A 83 6A");
        assertRejects(() -> scan(body), EtfException.BAD_CONTROL)
                .hasMessage("ALTACT_SIG_SEND (37) control tuple has arity 6, expected 4 or 5");
    }

    @Test
    void rejectsNoPayloadOpWithTrailingBytes() {
        // LINK followed by 131 [] as if it had a payload.
        byte[] body = concat(OtpVectors.LINK.body(), bytes("83 6A"));
        assertRejects(() -> scan(body), EtfException.BAD_CONTROL)
                .hasMessage("LINK takes no payload, but 2 bytes follow its control message at offset "
                        + OtpVectors.LINK.controlEnd());
    }

    @Test
    void rejectsPayloadOpWithoutPayload() {
        byte[] body = concat(bytes("70"), OtpVectors.SEND.control());
        assertRejects(() -> scan(body), EtfException.BAD_CONTROL)
                .hasMessageStartingWith("SEND takes a payload, but the packet ends with its control message");
    }

    @Test
    void rejectsPayloadNotStartingWithVersion() {
        // SEND's control term, then {} without its 131.
        byte[] body = concat(bytes("70"), OtpVectors.SEND.control(), bytes("68 00"));
        assertRejects(() -> scan(body), EtfException.BAD_CONTROL)
                .hasMessage("SEND payload starts with byte 104 at offset " + OtpVectors.SEND.controlEnd()
                        + ", expected version 131");
    }

    @Test
    void rejectsControlTermRunningPastThePacket() {
        byte[] body = OtpVectors.LINK.body();
        ByteBuf buf = framed(body);
        assertRejects(() -> scanner.scan(buf, 4, buf.capacity(), body.length - 5), EtfException.MALFORMED)
                .hasMessageContaining("left in the packet");
    }

    @Test
    void rejectsOversizedControlTermAsSoonAsItsSizeIsKnown() {
        ControlScanner small = new ControlScanner(new EtfLimits(EtfLimits.DEFAULT_MAX_DEPTH, 64));
        byte[] body = OtpVectors.EXIT_LARGE_TUPLE.body();
        ByteBuf buf = framed(body);
        // EXIT's fields up to the reason's LARGE_TUPLE_EXT header fit in 64 bytes; arity 300 cannot.
        int headerEnd = 4 + 1 + 1 + 2 + 2 + 26 + 26 + 5;
        assertThat(small.scan(buf, 4, headerEnd - 1, body.length)).isEqualTo(INCOMPLETE);
        assertRejects(() -> small.scan(buf, 4, headerEnd, body.length), EtfException.TOO_LARGE)
                .hasMessageContaining("LARGE_TUPLE_EXT arity 300")
                .hasMessageContaining("64-byte control message limit");
    }

    @Test
    void reportsUnassignedOpCodeAsUnknown() {
        // {9, a}: codes 9..11 were never assigned
        assertThat(scan(bytes("70 83 6802 6109 770161"))).isEqualTo(9);
        assertThat(scanner.op()).isSameAs(ControlOp.UNKNOWN);
    }

    @Test
    void reportsLargeIntegerOpCodeAsUnknown() {
        // {1000, a} with the op as INTEGER_EXT, and bytes after it that are not checked.
        assertThat(scan(bytes("70 83 6802 62000003E8 770161 FFFF"))).isEqualTo(1000);
        assertThat(scanner.op()).isSameAs(ControlOp.UNKNOWN);
    }

    @Test
    void canBeReusedAfterRejectingAPacket() {
        assertRejects(() -> scan(bytes("70 83 6800")), EtfException.BAD_CONTROL);
        assertThat(scan(OtpVectors.LINK.body())).isEqualTo(ControlOp.LINK.code());
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void peeksOpFromTheFirstTwelveBytes(Vector vector) {
        byte[] body = vector.body();
        int code = expectedCode(vector);
        for (int available = 0; available <= ControlScanner.PEEK_BYTES; available++) {
            ByteBuf prefix = buffer(Arrays.copyOf(body, Math.min(available, body.length)));

            int result = ControlScanner.peekOp(prefix, 0, prefix.capacity());

            assertThat(result).as("%d bytes", available).isIn(INCOMPLETE, code);
            if (available == ControlScanner.PEEK_BYTES) {
                assertThat(result).isEqualTo(code);
            }
        }
    }

    @Test
    void peekReturnsIncompleteUntilTheOpIsPresent() {
        // 112 131 SMALL_TUPLE_EXT 3, SMALL_INTEGER_EXT 22 (SEND_SENDER)
        ByteBuf buf = buffer("70 83 6803 6116");
        assertThat(ControlScanner.peekOp(buf, 0, 5)).isEqualTo(INCOMPLETE);
        assertThat(ControlScanner.peekOp(buf, 0, 6)).isEqualTo(ControlOp.SEND_SENDER.code());
    }

    @Test
    void peekRejectsDistributionHeader() {
        assertRejects(() -> ControlScanner.peekOp(buffer("83 44 00 6803 6101"), 0, 7), EtfException.NOT_PASS_THROUGH);
    }

    @Test
    void peekRejectsOpThatIsNotAnInteger() {
        assertRejects(() -> ControlScanner.peekOp(buffer("70 83 6801 6A"), 0, 5), EtfException.BAD_CONTROL);
    }

    private int scan(byte[] body) {
        ByteBuf buf = framed(body);
        return scanner.scan(buf, 4, buf.capacity(), body.length);
    }

    private static int expectedCode(Vector vector) {
        return vector.op() == ControlOp.UNKNOWN ? UNKNOWN_OP_CODE : vector.op().code();
    }

    /** The 4-byte packet length (reference section 4.1) followed by the body. */
    static ByteBuf framed(byte[] body) {
        return buffer(concat(lengthOf(body), body));
    }

    private static byte[] lengthOf(byte[] body) {
        int n = body.length;
        return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    private static byte[] withoutVersion(byte[] term) {
        return Arrays.copyOfRange(term, 1, term.length);
    }
}
