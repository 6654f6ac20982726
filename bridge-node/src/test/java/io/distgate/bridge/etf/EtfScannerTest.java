package io.distgate.bridge.etf;

import static io.distgate.bridge.etf.EtfAssertions.assertRejects;
import static io.distgate.bridge.etf.Hex.buffer;
import static io.distgate.bridge.etf.Hex.bytes;
import static io.distgate.bridge.etf.Hex.concat;
import static io.distgate.bridge.etf.Hex.repeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

/**
 * Single terms, mostly malformed. Whole control messages from OTP are in
 * {@link ControlScannerTest}. Vectors are term bytes without the 131 version byte.
 */
class EtfScannerTest {

    private static final int MIB = 1 << 20;

    /** NEW_PID_EXT of node 'x@localhost': tag, SMALL_ATOM_UTF8_EXT node, ID(4), Serial(4), Creation(4). */
    private static final String PID = "58 770B 78406C6F63616C686F7374 00000055 00000000 6B0A693B";

    private final EtfScanner scanner = new EtfScanner(EtfLimits.DEFAULTS);

    /** Skips a term whose bytes are all present and make up the whole packet. */
    private int skipWhole(byte[] term) {
        return scanner.skip(buffer(term), 0, term.length, term.length);
    }

    private int skipWhole(String hex) {
        return skipWhole(bytes(hex));
    }

    @Test
    void skipsPidAndReturnsIndexAfterIt() {
        assertThat(skipWhole(PID)).isEqualTo(bytes(PID).length);
    }

    @Test
    void skipsTermAtAbsoluteIndexWithoutMovingReaderIndex() {
        // junk(3) · {1, Pid} · junk(2)
        ByteBuf buf = buffer("FFFFFF 6802 6101 " + PID + " FFFF");
        int end = buf.capacity() - 2;
        assertThat(scanner.skip(buf, 3, end, end)).isEqualTo(end);
        assertThat(buf.readerIndex()).isZero();
    }

    @Test
    void skipsNestedEmptyContainersAndImproperTail() {
        // {[], {}, #{}, [a | b], "ab"}
        String term = "6805 6A 6800 74 00000000 6C 00000001 770161 770162 6B 0002 6162";
        assertThat(skipWhole(term)).isEqualTo(bytes(term).length);
    }

    @Test
    void waitsForMoreBytesWhenLengthFieldIsCutByEndOfData() {
        // LIST_EXT whose Len(4) has only two bytes so far; the packet holds 100 bytes.
        ByteBuf buf = buffer(concat(bytes("6C 0000"), new byte[97]));
        assertThat(scanner.skip(buf, 0, 3, 100)).isEqualTo(EtfScanner.INCOMPLETE);
    }

    @Test
    void rejectsListLengthFieldCutByEndOfPacket() {
        assertRejects(() -> skipWhole("6C 0000"), EtfException.MALFORMED)
                .hasMessageContaining("LIST_EXT length needs at least 5 bytes, more than the 3 left in the packet");
    }

    @Test
    void rejectsBinaryLengthFieldCutByEndOfPacket() {
        assertMalformed("6D 000001", "BINARY_EXT length");
    }

    @Test
    void rejectsAtomLengthFieldCutByEndOfPacket() {
        assertMalformed("76 00", "atom length");
    }

    @Test
    void rejectsPidCutInsideItsIdFields() {
        assertMalformed("58 770B 78406C6F63616C686F7374 000000",
                "NEW_PID_EXT ID, Serial and Creation needs at least 12 bytes, more than the 3 left in the packet");
    }

    @Test
    void rejectsListLengthBeyondPacket() {
        // LIST_EXT Len = 4000000000 with 30 bytes of packet left.
        ByteBuf buf = buffer(concat(bytes("6C EE6B2800"), new byte[30]));
        assertRejects(() -> scanner.skip(buf, 0, 35, 35), EtfException.MALFORMED)
                .hasMessage("LIST_EXT length 4000000000 needs at least 4000000001 bytes,"
                        + " more than the 30 left in the packet at offset 5");
    }

    @Test
    void rejectsListLengthBeyondControlLimitAsTooLarge() {
        // Same list, but the packet claims 16 MiB: the 1 MiB control limit decides.
        ByteBuf buf = buffer(concat(bytes("6C EE6B2800"), new byte[30]));
        assertRejects(() -> scanner.skip(buf, 0, 35, 16 * MIB), EtfException.TOO_LARGE)
                .hasMessage("LIST_EXT length 4000000000 needs at least 4000000001 bytes,"
                        + " more than the 1048571 left of the 1048576-byte control message limit at offset 5");
    }

    @Test
    void rejectsAbsurdLargeTupleArityBeforeReadingElements() {
        ByteBuf buf = buffer("69 FFFFFFFF 6101");
        assertRejects(() -> scanner.skip(buf, 0, 7, 16 * MIB), EtfException.TOO_LARGE)
                .hasMessageContaining("LARGE_TUPLE_EXT arity 4294967295");
    }

    @Test
    void rejectsSmallTupleArityLargerThanBytesLeft() {
        // SMALL_TUPLE_EXT arity 3, then only 2 bytes: three elements of a byte or more cannot fit.
        assertMalformed("6803 6A6A", "SMALL_TUPLE_EXT arity 3 needs at least 3 bytes, more than the 2 left");
    }

    @Test
    void rejectsMapArityCountingKeysAndValues() {
        // MAP_EXT arity 2 needs 4 terms; 3 bytes follow.
        assertMalformed("74 00000002 6A6A6A", "MAP_EXT arity 2 needs at least 4 bytes");
    }

    @Test
    void rejectsBinaryLongerThanPacket() {
        assertMalformed("6D 00000100 616263", "BINARY_EXT length 256 needs at least 256 bytes, more than the 3 left");
    }

    @Test
    void rejectsLargeBigLongerThanPacket() {
        assertMalformed("6F 00010000 00 0102", "LARGE_BIG_EXT n 65536");
    }

    @Test
    void rejectsUnknownTag() {
        assertRejects(() -> skipWhole("01 00"), EtfException.UNKNOWN_TAG)
                .hasMessage("tag 1 at offset 0 is not a term the gateway accepts in a control message");
    }

    @Test
    void rejectsAtomCacheRefInControlMessage() {
        // {2, ATOM_CACHE_REF 0, Pid}
        assertRejects(() -> skipWhole("6803 6102 5200 " + PID), EtfException.UNKNOWN_TAG)
                .hasMessageContaining("ATOM_CACHE_REF (82) at offset 4");
    }

    @Test
    void rejectsAtomCacheRefAsPidNode() {
        assertRejects(() -> skipWhole("58 5200 00000055 00000000 6B0A693B"), EtfException.UNKNOWN_TAG)
                .hasMessageContaining("ATOM_CACHE_REF (82) at offset 1");
    }

    @Test
    void rejectsCompressedTerm() {
        // term_to_binary({3, kill, lists:duplicate(100, 1)}, [compressed]) after its 131:
        // COMPRESSED, UncompressedSize 114, zlib data.
        String term = "50 00000072 789CCB604E644E6160C9CECCC9C9664861A40300009F230417";
        assertRejects(() -> skipWhole(term), EtfException.UNKNOWN_TAG)
                .hasMessageStartingWith("COMPRESSED (80) at offset 0");
    }

    @Test
    void rejectsLocalExt() {
        assertRejects(() -> skipWhole("79 0102030405"), EtfException.UNKNOWN_TAG)
                .hasMessageStartingWith("LOCAL_EXT (121)");
    }

    @Test
    void rejectsRemovedFunExt() {
        assertRejects(() -> skipWhole("75 00000000"), EtfException.UNKNOWN_TAG)
                .hasMessageStartingWith("FUN_EXT (117)");
    }

    @Test
    void acceptsNestingAtTheDepthLimit() {
        byte[] term = nestedTuples(EtfLimits.DEFAULT_MAX_DEPTH);
        assertThat(skipWhole(term)).isEqualTo(term.length);
    }

    @Test
    void rejectsNestingDeeperThanTheLimit() {
        assertRejects(() -> skipWhole(nestedTuples(EtfLimits.DEFAULT_MAX_DEPTH + 1)), EtfException.TOO_DEEP)
                .hasMessage("SMALL_TUPLE_EXT at offset 200 nests deeper than the limit of 100");
    }

    @Test
    void rejectsNestedListsDeeperThanTheLimit() {
        // [[[...[]...]]]: LIST_EXT Len 1, then the inner list, then the NIL tail.
        int depth = EtfLimits.DEFAULT_MAX_DEPTH + 1;
        byte[] term = concat(repeat("6C00000001", depth), bytes("6A"), repeat("6A", depth));
        assertRejects(() -> skipWhole(term), EtfException.TOO_DEEP);
    }

    @Test
    void failsHugeNestingAtTheLimitNotOnTheJavaStack() {
        EtfScanner roomy = new EtfScanner(new EtfLimits(EtfLimits.DEFAULT_MAX_DEPTH, 8 * MIB));
        byte[] term = nestedTuples(1_000_000);
        assertRejects(() -> roomy.skip(buffer(term), 0, term.length, term.length), EtfException.TOO_DEEP);
    }

    @Test
    void honoursASmallerDepthLimit() {
        EtfScanner shallow = new EtfScanner(new EtfLimits(3, MIB));
        byte[] four = nestedTuples(4);
        assertRejects(() -> shallow.skip(buffer(four), 0, four.length, four.length), EtfException.TOO_DEEP);
        byte[] three = nestedTuples(3);
        assertThat(shallow.skip(buffer(three), 0, three.length, three.length)).isEqualTo(three.length);
    }

    @Test
    void acceptsAtomOf255FourByteCharacters() {
        // term_to_binary(list_to_atom(lists:duplicate(255, 16#1F600))): ATOM_UTF8_EXT Len 1020.
        byte[] term = concat(bytes("76 03FC"), repeat("F09F9880", 255));
        assertThat(skipWhole(term)).isEqualTo(term.length);
    }

    @Test
    void rejectsUtf8AtomLongerThan1020Bytes() {
        byte[] term = concat(bytes("76 03FD"), repeat("61", 1021));
        assertRejects(() -> skipWhole(term), EtfException.MALFORMED)
                .hasMessage("ATOM_UTF8_EXT length 1021 exceeds the 1020-byte atom limit at offset 0");
    }

    @Test
    void rejectsUtf8AtomOf256Characters() {
        byte[] term = concat(bytes("76 0100"), repeat("61", 256));
        assertRejects(() -> skipWhole(term), EtfException.MALFORMED)
                .hasMessage("ATOM_UTF8_EXT has 256 characters, more than the 255 allowed, at offset 0");
    }

    @Test
    void rejectsLatin1AtomLongerThan255Bytes() {
        byte[] term = concat(bytes("64 0100"), repeat("61", 256));
        assertRejects(() -> skipWhole(term), EtfException.MALFORMED)
                .hasMessageContaining("ATOM_EXT length 256 exceeds the 255-byte atom limit");
    }

    @Test
    void rejectsAtomThatIsNotUtf8() {
        assertMalformed("77 01 FF", "SMALL_ATOM_UTF8_EXT text at offset 0 is not valid UTF-8");
    }

    @Test
    void rejectsAtomWithOverlongUtf8() {
        assertMalformed("77 02 C080", "not valid UTF-8");
    }

    @Test
    void rejectsAtomWithUtf8Surrogate() {
        assertMalformed("77 03 EDA080", "not valid UTF-8");
    }

    @Test
    void rejectsAtomWithTruncatedUtf8Sequence() {
        assertMalformed("77 02 E282", "not valid UTF-8");
    }

    @Test
    void rejectsNewerReferenceWithSixIdWords() {
        // NEWER_REFERENCE_EXT Len 6, node, Creation(4), 6 ID words.
        String term = "5A 0006 770B 78406C6F63616C686F7374 6B0A693B" + " 00000001".repeat(6);
        assertRejects(() -> skipWhole(term), EtfException.MALFORMED)
                .hasMessage("NEWER_REFERENCE_EXT ID length 6 exceeds the 5 words allowed at offset 0");
    }

    @Test
    void rejectsNewReferenceWithSixIdWords() {
        String term = "72 0006 770B 78406C6F63616C686F7374 01" + " 00000001".repeat(6);
        assertMalformed(term, "NEW_REFERENCE_EXT ID length 6");
    }

    @Test
    void acceptsNewerReferenceWithFiveIdWords() {
        String term = "5A 0005 770B 78406C6F63616C686F7374 6B0A693B" + " 00000001".repeat(5);
        assertThat(skipWhole(term)).isEqualTo(bytes(term).length);
    }

    @Test
    void rejectsPidWhoseNodeIsNotAnAtom() {
        assertMalformed("58 6101 00000055 00000000 6B0A693B",
                "NEW_PID_EXT node must be an atom, found SMALL_INTEGER_EXT (97) at offset 1");
    }

    @Test
    void rejectsPortWhoseNodeIsNotAnAtom() {
        assertMalformed("59 6A 00000008 6B0A693B", "NEW_PORT_EXT node must be an atom");
    }

    @Test
    void rejectsReferenceWhoseNodeIsNotAnAtom() {
        assertMalformed("5A 0001 6D00000000 6B0A693B 00000001", "NEWER_REFERENCE_EXT node must be an atom");
    }

    @Test
    void rejectsBitBinaryWithZeroBitsInLastByte() {
        assertMalformed("4D 00000001 00 FF", "BIT_BINARY_EXT bits 0 is not valid for length 1");
    }

    @Test
    void rejectsBitBinaryWithNineBitsInLastByte() {
        assertMalformed("4D 00000001 09 FF", "BIT_BINARY_EXT bits 9");
    }

    @Test
    void rejectsEmptyBitBinaryWithBits() {
        assertMalformed("4D 00000000 08", "BIT_BINARY_EXT bits 8 is not valid for length 0");
    }

    @Test
    void rejectsFunSizeSmallerThanItsFixedFields() {
        assertMalformed("70 00000004", "NEW_FUN_EXT size 4 is smaller than its 29 fixed bytes");
    }

    @Test
    void rejectsFunSizeBeyondPacket() {
        assertMalformed("70 00010000 01", "NEW_FUN_EXT size 65536");
    }

    @Test
    void rejectsExportWhoseArityIsNotASmallInteger() {
        // EXPORT_EXT lists map INTEGER_EXT 2
        assertMalformed("71 77056C69737473 77036D6170 62 00000002",
                "EXPORT_EXT arity must be SMALL_INTEGER_EXT, found INTEGER_EXT (98)");
    }

    @Test
    void rejectsExportWhoseModuleIsNotAnAtom() {
        assertMalformed("71 6A 77036D6170 6102", "EXPORT_EXT module must be an atom, found NIL_EXT (106)");
    }

    @Test
    void rejectsTermLargerThanAConfiguredControlLimit() {
        EtfScanner small = new EtfScanner(new EtfLimits(EtfLimits.DEFAULT_MAX_DEPTH, 64));
        // BINARY_EXT of 100 bytes inside a packet that has room for it.
        byte[] term = concat(bytes("6D 00000064"), new byte[100]);
        assertRejects(() -> small.skip(buffer(term), 0, term.length, term.length), EtfException.TOO_LARGE)
                .hasMessage("BINARY_EXT length 100 needs at least 100 bytes,"
                        + " more than the 59 left of the 64-byte control message limit at offset 5");
    }

    @Test
    void rejectsTermStartingAtEndOfPacket() {
        assertRejects(() -> scanner.skip(buffer("6A"), 1, 1, 1), EtfException.MALFORMED)
                .hasMessageContaining("term tag needs at least 1 byte, more than the 0 left in the packet");
    }

    @Test
    void canBeReusedAfterRejectingATerm() {
        assertThatThrownBy(() -> skipWhole(nestedTuples(EtfLimits.DEFAULT_MAX_DEPTH + 1)))
                .isInstanceOf(EtfException.class);
        assertThat(skipWhole(PID)).isEqualTo(bytes(PID).length);
    }

    @Test
    void limitsRejectNonsensicalValues() {
        assertThatThrownBy(() -> new EtfLimits(0, MIB)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EtfLimits(EtfLimits.MAX_DEPTH_CEILING + 1, MIB))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EtfLimits(10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(EtfLimits.DEFAULTS).isEqualTo(new EtfLimits(100, 1_048_576));
    }

    /** {{...{}...}}: {@code depth} tuples, each of arity 1 around the next, the innermost empty. */
    private static byte[] nestedTuples(int depth) {
        return concat(repeat("6801", depth - 1), bytes("6800"));
    }

    private void assertMalformed(String hex, String message) {
        assertRejects(() -> skipWhole(hex), EtfException.MALFORMED).hasMessageContaining(message);
    }
}
