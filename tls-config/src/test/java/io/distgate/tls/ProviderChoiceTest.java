package io.distgate.tls;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ProviderChoiceTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(ProviderChoice.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(lines);
    }

    @Test
    void usesOpenSslAndLogsItsVersionWhenAvailable() {
        assertThat(ProviderChoice.resolve(TlsProvider.OPENSSL, true, "BoringSSL", null)).isEqualTo(TlsProvider.OPENSSL);

        assertThat(lines.list).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.INFO);
            assertThat(line.getFormattedMessage()).startsWith("tls provider openssl").contains("BoringSSL");
        });
    }

    @Test
    void fallsBackToJdkWithAWarningWhenOpenSslCannotBeLoaded() {
        TlsProvider chosen = ProviderChoice.resolve(TlsProvider.OPENSSL, false, null,
                new UnsatisfiedLinkError("no netty_tcnative in java.library.path"));

        assertThat(chosen).isEqualTo(TlsProvider.JDK);
        assertThat(lines.list).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.WARN);
            assertThat(line.getFormattedMessage()).contains("falling back").contains("no netty_tcnative");
        });
    }

    @Test
    void warnsThatTheConfiguredJdkProviderIsSlower() {
        assertThat(ProviderChoice.resolve(TlsProvider.JDK, true, "BoringSSL", null)).isEqualTo(TlsProvider.JDK);

        assertThat(lines.list).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.WARN);
            assertThat(line.getFormattedMessage()).contains("slower");
        });
    }
}
