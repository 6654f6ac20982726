package io.distgate.gateway.config;

import java.nio.file.Path;

/**
 * The gateway's TLS identity and trust (docs/configuration.md, "tunnel.tls").
 *
 * @param cert       PEM certificate chain, leaf first; the leaf names this site (URI SAN urn:distgate:site:NAME)
 * @param key        PEM private key of the leaf, owner-only
 * @param ca         PEM bundle of the CAs that sign peer certificates; the only trust anchors used
 * @param provider   openssl (BoringSSL via netty-tcnative, default) or jdk
 * @param allowTls12 also accept TLS 1.2 (off: TLS 1.3 only)
 */
public record TlsConfig(Path cert, Path key, Path ca, String provider, Boolean allowTls12) {

    public TlsConfig {
        if (cert == null) {
            throw new ConfigException("cert", "missing: the PEM certificate chain of this gateway");
        }
        if (key == null) {
            throw new ConfigException("key", "missing: the PEM private key of this gateway");
        }
        if (ca == null) {
            throw new ConfigException("ca", "missing: the PEM CA bundle that signs the peers' certificates");
        }
        provider = provider == null ? "openssl" : provider;
        if (!provider.equals("openssl") && !provider.equals("jdk")) {
            throw new ConfigException("provider", "expected openssl or jdk, got '" + provider + "'");
        }
        allowTls12 = allowTls12 != null && allowTls12;
    }
}
