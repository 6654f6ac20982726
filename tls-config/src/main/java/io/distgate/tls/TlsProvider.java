package io.distgate.tls;

/** The TLS implementation behind an {@link io.netty.handler.ssl.SslContext}. */
public enum TlsProvider {
    /** BoringSSL through netty-tcnative: the default, several times cheaper per byte than the JDK. */
    OPENSSL,
    /** The JDK's own TLS (SunJSSE): always present, used when BoringSSL cannot be loaded. */
    JDK
}
