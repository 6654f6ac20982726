package io.distgate.bridge.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CookieTest {

    @Test
    void digestIsMd5OfCookieAndDecimalChallenge() {
        // Reference vectors: MD5("secret1234567890") and MD5("secret3000000000").
        assertThat(HexFormat.of().formatHex(Cookie.of("secret").digest(1234567890L)))
                .isEqualTo("e0fcfc1ba511fc6fe6ee357c9addb932");
        assertThat(HexFormat.of().formatHex(Cookie.of("secret").digest(3000000000L)))
                .isEqualTo("8d59c529b94478021bf57d2723731099");
    }

    @Test
    void challengeIsReadAsUnsigned() {
        // 3000000000 does not fit a signed int; as an int it is -1294967296.
        assertThat(Cookie.of("secret").digest((int) 3000000000L)).isEqualTo(Cookie.of("secret").digest(3000000000L));
    }

    @Test
    void verifiesOnlyTheRightDigest() {
        Cookie c = Cookie.of("secret");
        assertThat(c.verifies(42, c.digest(42))).isTrue();
        assertThat(c.verifies(42, Cookie.of("other").digest(42))).isFalse();
        assertThat(c.verifies(42, c.digest(43))).isFalse();
    }

    @Test
    void neverPrintsItself() {
        assertThat(Cookie.of("secret").toString()).doesNotContain("secret");
    }

    @Test
    void rejectsEmptyAndNonPrintableCookies() {
        assertThatThrownBy(() -> Cookie.of("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> Cookie.of("a\nb")).hasMessageContaining("index 1");
    }
}
