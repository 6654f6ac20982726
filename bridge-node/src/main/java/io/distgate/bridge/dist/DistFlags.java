package io.distgate.bridge.dist;

import java.util.ArrayList;
import java.util.List;

/**
 * Distribution capability flags (kernel {@code dist.hrl}, erts {@code dist.h}) and the rules the
 * gateway applies to them. Flags are a 64-bit set; both ends of a connection use the AND of what
 * each side offered (dist_util {@code adjust_flags/2}).
 */
public final class DistFlags {

    public static final long PUBLISHED = 0x1L;
    public static final long ATOM_CACHE = 0x2L;
    public static final long EXTENDED_REFERENCES = 0x4L;
    public static final long DIST_MONITOR = 0x8L;
    public static final long FUN_TAGS = 0x10L;
    public static final long DIST_MONITOR_NAME = 0x20L;
    public static final long HIDDEN_ATOM_CACHE = 0x40L;
    public static final long NEW_FUN_TAGS = 0x80L;
    public static final long EXTENDED_PIDS_PORTS = 0x100L;
    public static final long EXPORT_PTR_TAG = 0x200L;
    public static final long BIT_BINARIES = 0x400L;
    public static final long NEW_FLOATS = 0x800L;
    public static final long UNICODE_IO = 0x1000L;
    public static final long DIST_HDR_ATOM_CACHE = 0x2000L;
    public static final long SMALL_ATOM_TAGS = 0x4000L;
    public static final long UTF8_ATOMS = 0x10000L;
    public static final long MAP_TAG = 0x20000L;
    public static final long BIG_CREATION = 0x40000L;
    public static final long SEND_SENDER = 0x80000L;
    public static final long BIG_SEQTRACE_LABELS = 0x100000L;
    public static final long EXIT_PAYLOAD = 0x400000L;
    public static final long FRAGMENTS = 0x800000L;
    public static final long HANDSHAKE_23 = 0x1000000L;
    public static final long UNLINK_ID = 0x2000000L;
    public static final long MANDATORY_25_DIGEST = 0x4000000L;
    public static final long SPAWN = 1L << 32;
    public static final long NAME_ME = 1L << 33;
    public static final long V4_NC = 1L << 34;
    public static final long ALIAS = 1L << 35;
    public static final long ALTACT_SIG = 1L << 37;

    /** Mandatory in OTP 23 and 24. */
    public static final long MANDATORY_23 =
            EXTENDED_REFERENCES | NEW_FUN_TAGS | EXTENDED_PIDS_PORTS | UTF8_ATOMS | BIG_CREATION;

    /** Mandatory in OTP 25; also what {@link #MANDATORY_25_DIGEST} stands for. */
    public static final long MANDATORY_25 = MANDATORY_23 | FUN_TAGS | EXPORT_PTR_TAG | BIT_BINARIES
            | NEW_FLOATS | MAP_TAG | HANDSHAKE_23;

    /** Mandatory in OTP 26, 27 and 28. */
    public static final long MANDATORY_26 = MANDATORY_25 | V4_NC | UNLINK_ID;

    /**
     * What the gateway itself needs from both ends: the OTP 23 set plus the version 6 handshake.
     * OTP 25 dropped connections to older nodes, so nothing usable is lost.
     */
    public static final long GATEWAY_REQUIRED = MANDATORY_23 | HANDSHAKE_23;

    /**
     * Never negotiated across the gateway (D2): without the atom cache and fragments, both legs
     * send every message as pass-through (tag 112) and bytes relay unchanged. NAME_ME is a
     * request, not a capability; the obsolete caches are dropped as OTP does.
     */
    public static final long NEVER_RELAYED =
            ATOM_CACHE | HIDDEN_ATOM_CACHE | DIST_HDR_ATOM_CACHE | FRAGMENTS | NAME_ME;

    /** Every flag distgate knows; unknown bits are never relayed, as they may change the wire format. */
    public static final long KNOWN = PUBLISHED | ATOM_CACHE | EXTENDED_REFERENCES | DIST_MONITOR | FUN_TAGS
            | DIST_MONITOR_NAME | HIDDEN_ATOM_CACHE | NEW_FUN_TAGS | EXTENDED_PIDS_PORTS | EXPORT_PTR_TAG
            | BIT_BINARIES | NEW_FLOATS | UNICODE_IO | DIST_HDR_ATOM_CACHE | SMALL_ATOM_TAGS | UTF8_ATOMS | MAP_TAG
            | BIG_CREATION | SEND_SENDER | BIG_SEQTRACE_LABELS | EXIT_PAYLOAD | FRAGMENTS | HANDSHAKE_23 | UNLINK_ID
            | MANDATORY_25_DIGEST | SPAWN | NAME_ME | V4_NC | ALIAS | ALTACT_SIG;

    private static final String[] NAMES = new String[64];

    static {
        name(PUBLISHED, "PUBLISHED");
        name(ATOM_CACHE, "ATOM_CACHE");
        name(EXTENDED_REFERENCES, "EXTENDED_REFERENCES");
        name(DIST_MONITOR, "DIST_MONITOR");
        name(FUN_TAGS, "FUN_TAGS");
        name(DIST_MONITOR_NAME, "DIST_MONITOR_NAME");
        name(HIDDEN_ATOM_CACHE, "HIDDEN_ATOM_CACHE");
        name(NEW_FUN_TAGS, "NEW_FUN_TAGS");
        name(EXTENDED_PIDS_PORTS, "EXTENDED_PIDS_PORTS");
        name(EXPORT_PTR_TAG, "EXPORT_PTR_TAG");
        name(BIT_BINARIES, "BIT_BINARIES");
        name(NEW_FLOATS, "NEW_FLOATS");
        name(UNICODE_IO, "UNICODE_IO");
        name(DIST_HDR_ATOM_CACHE, "DIST_HDR_ATOM_CACHE");
        name(SMALL_ATOM_TAGS, "SMALL_ATOM_TAGS");
        name(UTF8_ATOMS, "UTF8_ATOMS");
        name(MAP_TAG, "MAP_TAG");
        name(BIG_CREATION, "BIG_CREATION");
        name(SEND_SENDER, "SEND_SENDER");
        name(BIG_SEQTRACE_LABELS, "BIG_SEQTRACE_LABELS");
        name(EXIT_PAYLOAD, "EXIT_PAYLOAD");
        name(FRAGMENTS, "FRAGMENTS");
        name(HANDSHAKE_23, "HANDSHAKE_23");
        name(UNLINK_ID, "UNLINK_ID");
        name(MANDATORY_25_DIGEST, "MANDATORY_25_DIGEST");
        name(SPAWN, "SPAWN");
        name(NAME_ME, "NAME_ME");
        name(V4_NC, "V4_NC");
        name(ALIAS, "ALIAS");
        name(ALTACT_SIG, "ALTACT_SIG");
    }

    private DistFlags() {
    }

    private static void name(long flag, String name) {
        NAMES[Long.numberOfTrailingZeros(flag)] = name;
    }

    /**
     * A receiver on OTP 25+ reads {@link #MANDATORY_25_DIGEST} as the whole OTP 25 mandatory set
     * (dist_util {@code expand_mandatory_25_flag/1}); the gateway reads it the same way.
     */
    public static long expand(long flags) {
        return (flags & MANDATORY_25_DIGEST) != 0 ? flags | MANDATORY_25 : flags;
    }

    /**
     * The lowest OTP release a node can be, judged by the newest flag it offers. Sound in one
     * direction only: a node offering a flag introduced in release R is at least R.
     */
    public static int minimumRelease(long offered) {
        if ((offered & ALTACT_SIG) != 0) {
            return 28;
        }
        if ((offered & MANDATORY_25_DIGEST) != 0) {
            return 25;
        }
        if ((offered & (ALIAS | V4_NC)) != 0) {
            return 24;
        }
        return 23;
    }

    /** The flags a node of the given OTP release refuses to connect without. */
    public static long mandatoryFor(int otpRelease) {
        if (otpRelease >= 26) {
            return MANDATORY_26;
        }
        if (otpRelease >= 25) {
            return MANDATORY_25;
        }
        return MANDATORY_23;
    }

    /**
     * What a node offering {@code offered} requires of the flags it is offered, as far as the
     * gateway can tell: the mandatory set of the lowest release the node can be.
     */
    public static long requiredBy(long offered) {
        return mandatoryFor(minimumRelease(offered));
    }

    /**
     * The flags the gateway passes on from one node to the other: known flags only, without
     * {@link #NEVER_RELAYED}, and without PUBLISHED unless cross-site connections are published.
     */
    public static long relayable(long flags, boolean published) {
        long mask = KNOWN & ~NEVER_RELAYED;
        if (!published) {
            mask &= ~PUBLISHED;
        }
        return flags & mask;
    }

    /** The names of the flags in {@code flags}, for log lines. */
    public static List<String> names(long flags) {
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < 64; bit++) {
            if ((flags & (1L << bit)) != 0) {
                names.add(NAMES[bit] != null ? NAMES[bit] : "BIT_" + bit);
            }
        }
        return names;
    }

    public static String hex(long flags) {
        return String.format("0x%x", flags);
    }
}
