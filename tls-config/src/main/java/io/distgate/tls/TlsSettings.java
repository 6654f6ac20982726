package io.distgate.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a gateway's TLS files are and how its TLS contexts are built. Validated on construction;
 * the files themselves are checked by {@link TlsFiles#load}.
 *
 * @param certificateChain PEM certificates, this gateway's first, then any intermediates
 * @param privateKey PEM private key of the first certificate (PKCS#8, PKCS#1 RSA or SEC1 EC), mode 600
 * @param caBundle PEM CA certificates: the only ones peers are checked against, never the system store
 * @param provider the preferred TLS implementation; {@link TlsProvider#OPENSSL} by default, with a
 *     fallback to the JDK when BoringSSL cannot be loaded
 * @param allowTls12 also accept TLS 1.2; off by default, as both ends are distgate and TLS 1.3
 *     has a shorter handshake and no legacy cipher suites
 * @param handshakeTimeout deadline of the TLS handshake, an unauthenticated phase;
 *     {@link #DEFAULT_HANDSHAKE_TIMEOUT} by default, within {@link #MIN_HANDSHAKE_TIMEOUT} ..
 *     {@link #MAX_HANDSHAKE_TIMEOUT}
 */
public record TlsSettings(Path certificateChain, Path privateKey, Path caBundle, TlsProvider provider,
        boolean allowTls12, Duration handshakeTimeout) {

    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration MIN_HANDSHAKE_TIMEOUT = Duration.ofMillis(100);
    public static final Duration MAX_HANDSHAKE_TIMEOUT = Duration.ofMinutes(2);

    public TlsSettings {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(caBundle, "caBundle");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (handshakeTimeout.compareTo(MIN_HANDSHAKE_TIMEOUT) < 0 || handshakeTimeout.compareTo(MAX_HANDSHAKE_TIMEOUT) > 0) {
            throw new IllegalArgumentException("handshakeTimeout " + handshakeTimeout + " is outside "
                    + MIN_HANDSHAKE_TIMEOUT + ".." + MAX_HANDSHAKE_TIMEOUT);
        }
    }

    /** Settings with the defaults: OpenSSL preferred, TLS 1.3 only, 10 s handshake deadline. */
    public static TlsSettings of(Path certificateChain, Path privateKey, Path caBundle) {
        return new TlsSettings(certificateChain, privateKey, caBundle, TlsProvider.OPENSSL, false,
                DEFAULT_HANDSHAKE_TIMEOUT);
    }

    public TlsSettings withProvider(TlsProvider newProvider) {
        return new TlsSettings(certificateChain, privateKey, caBundle, newProvider, allowTls12, handshakeTimeout);
    }

    public TlsSettings withAllowTls12(boolean allow) {
        return new TlsSettings(certificateChain, privateKey, caBundle, provider, allow, handshakeTimeout);
    }

    public TlsSettings withHandshakeTimeout(Duration timeout) {
        return new TlsSettings(certificateChain, privateKey, caBundle, provider, allowTls12, timeout);
    }
}
