package io.distgate.bridge.etf;

/**
 * Tag bytes of the external term format (reference section 6; erl_ext_dist "External Term
 * Format"), named as the spec names them, plus PASS_THROUGH, the packet-level marker that
 * precedes a control term when no distribution header is negotiated.
 */
final class ExternalTags {

    /** Precedes every term in a pass-through packet (and a distribution header otherwise). */
    static final int VERSION_MAGIC = 131;
    /** First byte of a packet when no distribution header is negotiated (section 4.1). */
    static final int PASS_THROUGH = 112;

    static final int NEW_FLOAT_EXT = 70;
    static final int BIT_BINARY_EXT = 77;
    static final int COMPRESSED = 80;
    static final int ATOM_CACHE_REF = 82;
    static final int NEW_PID_EXT = 88;
    static final int NEW_PORT_EXT = 89;
    static final int NEWER_REFERENCE_EXT = 90;
    static final int SMALL_INTEGER_EXT = 97;
    static final int INTEGER_EXT = 98;
    static final int FLOAT_EXT = 99;
    static final int ATOM_EXT = 100;
    static final int REFERENCE_EXT = 101;
    static final int PORT_EXT = 102;
    static final int PID_EXT = 103;
    static final int SMALL_TUPLE_EXT = 104;
    static final int LARGE_TUPLE_EXT = 105;
    static final int NIL_EXT = 106;
    static final int STRING_EXT = 107;
    static final int LIST_EXT = 108;
    static final int BINARY_EXT = 109;
    static final int SMALL_BIG_EXT = 110;
    static final int LARGE_BIG_EXT = 111;
    static final int NEW_FUN_EXT = 112;
    static final int EXPORT_EXT = 113;
    static final int NEW_REFERENCE_EXT = 114;
    static final int SMALL_ATOM_EXT = 115;
    static final int MAP_EXT = 116;
    static final int FUN_EXT = 117;
    static final int ATOM_UTF8_EXT = 118;
    static final int SMALL_ATOM_UTF8_EXT = 119;
    static final int V4_PORT_EXT = 120;
    static final int LOCAL_EXT = 121;

    private static final String[] NAMES = new String[256];

    static {
        NAMES[NEW_FLOAT_EXT] = "NEW_FLOAT_EXT";
        NAMES[BIT_BINARY_EXT] = "BIT_BINARY_EXT";
        NAMES[COMPRESSED] = "COMPRESSED";
        NAMES[ATOM_CACHE_REF] = "ATOM_CACHE_REF";
        NAMES[NEW_PID_EXT] = "NEW_PID_EXT";
        NAMES[NEW_PORT_EXT] = "NEW_PORT_EXT";
        NAMES[NEWER_REFERENCE_EXT] = "NEWER_REFERENCE_EXT";
        NAMES[SMALL_INTEGER_EXT] = "SMALL_INTEGER_EXT";
        NAMES[INTEGER_EXT] = "INTEGER_EXT";
        NAMES[FLOAT_EXT] = "FLOAT_EXT";
        NAMES[ATOM_EXT] = "ATOM_EXT";
        NAMES[REFERENCE_EXT] = "REFERENCE_EXT";
        NAMES[PORT_EXT] = "PORT_EXT";
        NAMES[PID_EXT] = "PID_EXT";
        NAMES[SMALL_TUPLE_EXT] = "SMALL_TUPLE_EXT";
        NAMES[LARGE_TUPLE_EXT] = "LARGE_TUPLE_EXT";
        NAMES[NIL_EXT] = "NIL_EXT";
        NAMES[STRING_EXT] = "STRING_EXT";
        NAMES[LIST_EXT] = "LIST_EXT";
        NAMES[BINARY_EXT] = "BINARY_EXT";
        NAMES[SMALL_BIG_EXT] = "SMALL_BIG_EXT";
        NAMES[LARGE_BIG_EXT] = "LARGE_BIG_EXT";
        NAMES[NEW_FUN_EXT] = "NEW_FUN_EXT";
        NAMES[EXPORT_EXT] = "EXPORT_EXT";
        NAMES[NEW_REFERENCE_EXT] = "NEW_REFERENCE_EXT";
        NAMES[SMALL_ATOM_EXT] = "SMALL_ATOM_EXT";
        NAMES[MAP_EXT] = "MAP_EXT";
        NAMES[FUN_EXT] = "FUN_EXT";
        NAMES[ATOM_UTF8_EXT] = "ATOM_UTF8_EXT";
        NAMES[SMALL_ATOM_UTF8_EXT] = "SMALL_ATOM_UTF8_EXT";
        NAMES[V4_PORT_EXT] = "V4_PORT_EXT";
        NAMES[LOCAL_EXT] = "LOCAL_EXT";
        NAMES[VERSION_MAGIC] = "VERSION_MAGIC";
    }

    private ExternalTags() {
    }

    /** The spec name with the byte value, for error messages: {@code "LIST_EXT (108)"}. */
    static String describe(int tag) {
        String name = tag >= 0 && tag < NAMES.length ? NAMES[tag] : null;
        return name == null ? "tag " + tag : name + " (" + tag + ")";
    }

    /** The spec name alone, or {@code "tag N"} for a byte the spec does not name. */
    static String name(int tag) {
        String name = tag >= 0 && tag < NAMES.length ? NAMES[tag] : null;
        return name == null ? "tag " + tag : name;
    }

    static boolean isAtom(int tag) {
        return tag == ATOM_UTF8_EXT || tag == SMALL_ATOM_UTF8_EXT
                || tag == ATOM_EXT || tag == SMALL_ATOM_EXT;
    }
}
