package io.distgate.tls;

import io.netty.handler.ssl.OpenSsl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the configured {@link TlsProvider} into the one actually used, and says so in the log:
 * a gateway that silently runs on the slower JDK engine, or that cannot load BoringSSL on one
 * host, should be visible from its first lines.
 */
final class ProviderChoice {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderChoice.class);

    private ProviderChoice() {
    }

    static TlsProvider resolve(TlsProvider preferred) {
        boolean available = OpenSsl.isAvailable();
        return resolve(preferred, available, available ? OpenSsl.versionString() : null, OpenSsl.unavailabilityCause());
    }

    static TlsProvider resolve(TlsProvider preferred, boolean opensslAvailable, String opensslVersion,
            Throwable unavailabilityCause) {
        if (preferred == TlsProvider.JDK) {
            LOG.warn("tls provider jdk: configured; it is slower than OpenSSL{}", opensslAvailable
                    ? " (" + opensslVersion + " is available here)" : "");
            return TlsProvider.JDK;
        }
        if (opensslAvailable) {
            LOG.info("tls provider openssl: {}", opensslVersion);
            return TlsProvider.OPENSSL;
        }
        LOG.warn("tls provider jdk: OpenSSL was configured but is not available ({}); falling back to the slower"
                + " JDK provider", unavailabilityCause == null ? "no reason given" : unavailabilityCause.toString());
        return TlsProvider.JDK;
    }
}
