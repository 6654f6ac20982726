package io.distgate.bridge.etf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

final class EtfAssertions {

    private EtfAssertions() {
    }

    /** Asserts that {@code call} throws an {@link EtfException} with this metric reason. */
    static AbstractThrowableAssert<?, ? extends Throwable> assertRejects(ThrowingCallable call, String reason) {
        return assertThatThrownBy(call).isInstanceOfSatisfying(EtfException.class,
                e -> assertThat(e.reason()).as("reason of: %s", e.getMessage()).isEqualTo(reason));
    }
}
