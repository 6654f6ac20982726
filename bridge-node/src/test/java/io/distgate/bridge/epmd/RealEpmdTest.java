package io.distgate.bridge.epmd;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The interop fixture must fail, not skip, when Erlang is missing (STYLE, "Tests"). */
class RealEpmdTest {

    @Test
    void missingErlangProgramFailsNamingTheInstallCommand() {
        assertThatThrownBy(() -> RealEpmd.findOnPath("epmd-that-is-not-installed"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("epmd-that-is-not-installed")
                .hasMessageContaining("apt-get install -y erlang-base");
    }
}
