package io.distgate.bridge.dist;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DistFlagsTest {

    /** OTP 25.2's default flags, as captured in a real send_name (PUBLISHED set). */
    static final long OTP25 = 0x0000000d07df7fbdL;

    @Test
    void mandatorySetsMatchTheReferenceMasks() {
        assertThat(DistFlags.MANDATORY_23).isEqualTo(0x5_0184L);
        assertThat(DistFlags.MANDATORY_25).isEqualTo(0x107_0F94L);
        assertThat(DistFlags.MANDATORY_26).isEqualTo(0x4_0307_0F94L);
    }

    @Test
    void mandatory25DigestStandsForTheWholeSet() {
        long onlyDigest = DistFlags.MANDATORY_25_DIGEST;
        assertThat(DistFlags.expand(onlyDigest) & DistFlags.MANDATORY_25).isEqualTo(DistFlags.MANDATORY_25);
        assertThat(DistFlags.expand(DistFlags.SPAWN)).isEqualTo(DistFlags.SPAWN);
    }

    @Test
    void relayableDropsAtomCacheFragmentsAndPublishedUnlessPublished() {
        long hidden = DistFlags.relayable(OTP25, false);
        assertThat(hidden & (DistFlags.DIST_HDR_ATOM_CACHE | DistFlags.FRAGMENTS | DistFlags.PUBLISHED)).isZero();
        assertThat(hidden & DistFlags.MANDATORY_26).isEqualTo(DistFlags.MANDATORY_26);
        assertThat(DistFlags.relayable(OTP25, true) & DistFlags.PUBLISHED).isEqualTo(DistFlags.PUBLISHED);
    }

    @Test
    void relayableDropsFlagsDistgateDoesNotKnow() {
        assertThat(DistFlags.relayable(1L << 40, false)).isZero();
    }

    @Test
    void minimumReleaseComesFromTheNewestFlagOffered() {
        assertThat(DistFlags.minimumRelease(OTP25)).isEqualTo(25);
        assertThat(DistFlags.minimumRelease(OTP25 | DistFlags.ALTACT_SIG)).isEqualTo(28);
        assertThat(DistFlags.minimumRelease(DistFlags.MANDATORY_23 | DistFlags.ALIAS)).isEqualTo(24);
        assertThat(DistFlags.minimumRelease(DistFlags.MANDATORY_23)).isEqualTo(23);
        assertThat(DistFlags.requiredBy(OTP25 | DistFlags.ALTACT_SIG)).isEqualTo(DistFlags.MANDATORY_26);
    }

    @Test
    void namesFlagsForLogs() {
        assertThat(DistFlags.names(DistFlags.V4_NC | DistFlags.UNLINK_ID)).containsExactly("UNLINK_ID", "V4_NC");
        assertThat(DistFlags.names(1L << 40)).containsExactly("BIT_40");
    }
}
