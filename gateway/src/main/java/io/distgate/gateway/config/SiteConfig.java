package io.distgate.gateway.config;

import io.distgate.bridge.dist.Cookie;
import io.distgate.bridge.dist.NameMode;
import io.distgate.bridge.site.NodePatterns;
import io.distgate.bridge.site.SiteSettings;
import io.distgate.bridge.site.Visibility;
import io.distgate.tls.SiteIdentity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A site the gateway joins as a bridge node (docs/configuration.md, "sites"). Defaults are
 * filled in and every value is checked here, so a constructed SiteConfig is valid.
 */
public record SiteConfig(
        String name,
        String cookie,
        Path cookieFile,
        String nodeNames,
        List<String> nodes,
        Integer epmdPort,
        Duration netTicktime,
        Duration netSetuptime,
        String visibility,
        NameServiceConfig nameService,
        ProxyConfig proxy) {

    static final int DEFAULT_EPMD_PORT = 4369;
    static final Duration DEFAULT_TICKTIME = Duration.ofSeconds(60);
    static final Duration DEFAULT_SETUPTIME = Duration.ofSeconds(7);

    public SiteConfig {
        if (name == null) {
            throw new ConfigException("name", "missing (a short site name such as dc1)");
        }
        if (!SiteIdentity.isValidSiteName(name)) {
            throw new ConfigException("name", "'" + name + "' is not a site name (" + SiteIdentity.SITE_NAME_RULE + ")");
        }
        if ((cookie == null) == (cookieFile == null)) {
            throw new ConfigException("cookie", "set exactly one of cookie and cookie_file");
        }
        if (cookie != null) {
            check("cookie", () -> Cookie.of(cookie));
        }
        nodeNames = nodeNames == null ? NameMode.SHORT.configName() : nodeNames;
        String mode = nodeNames;
        check("node_names", () -> NameMode.fromConfig(mode));
        if (nodes == null || nodes.isEmpty()) {
            throw new ConfigException("nodes", "missing: list the node-name patterns of this site, e.g. [\"app*@*.dc1.example.com\"]");
        }
        for (int i = 0; i < nodes.size(); i++) {
            String glob = nodes.get(i);
            if (glob == null || glob.isBlank()) {
                throw new ConfigException("nodes[" + i + "]", "empty node-name pattern");
            }
            check("nodes[" + i + "]", () -> NodePatterns.of(List.of(glob)));
        }
        nodes = List.copyOf(nodes);
        epmdPort = epmdPort == null ? DEFAULT_EPMD_PORT : epmdPort;
        if (epmdPort < 1 || epmdPort > 65535) {
            throw new ConfigException("epmd_port", epmdPort + " is outside 1..65535");
        }
        netTicktime = netTicktime == null ? DEFAULT_TICKTIME : netTicktime;
        if (netTicktime.toMillis() < 1000) {
            throw new ConfigException("net_ticktime", "must be at least 1s, got " + Durations.format(netTicktime));
        }
        netSetuptime = netSetuptime == null ? DEFAULT_SETUPTIME : netSetuptime;
        if (netSetuptime.toMillis() < 100 || netSetuptime.toMillis() > 120_000) {
            throw new ConfigException("net_setuptime", "must be 100ms..120s (Erlang's range), got " + Durations.format(netSetuptime));
        }
        visibility = visibility == null ? "hidden" : visibility;
        if (!visibility.equals("hidden") && !visibility.equals("published")) {
            throw new ConfigException("visibility", "expected hidden or published, got '" + visibility + "'");
        }
        if (nameService == null) {
            throw new ConfigException("name_service", "missing: the address nodes of this site ask (name_service.listen)");
        }
        proxy = proxy == null ? new ProxyConfig(null) : proxy;
    }

    /** The settings the bridge needs, with the cookie read (from the file when one is named). */
    public SiteSettings toSettings() {
        Cookie c = cookie != null ? Cookie.of(cookie) : CookieFile.read(cookieFile, "sites[" + name + "].cookie_file");
        return new SiteSettings(name, c, NameMode.fromConfig(nodeNames), NodePatterns.of(nodes), epmdPort,
                netTicktime, netSetuptime, Visibility.valueOf(visibility.toUpperCase(Locale.ROOT)));
    }

    @Override
    public String toString() {
        return "SiteConfig[name=" + name + ", cookie=" + (cookie != null ? "****" : "file " + cookieFile)
                + ", node_names=" + nodeNames + ", nodes=" + nodes + ", epmd_port=" + epmdPort + "]";
    }

    static void check(String key, Runnable validation) {
        try {
            validation.run();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }

    /** Where nodes of the site find the gateway. */
    public record NameServiceConfig(HostPort listen) {
        public NameServiceConfig {
            if (listen == null) {
                throw new ConfigException("listen", "missing: host:port nodes of this site ask, e.g. 127.0.0.1:4370");
            }
        }
    }

    /**
     * Proxy listeners (one per remote node a site's nodes dial). They bind to the name
     * service's address, since nodes reach them at the address they asked the name service at.
     */
    public record ProxyConfig(Duration idleTimeout) {
        static final Duration DEFAULT_IDLE = Duration.ofMinutes(10);

        public ProxyConfig {
            idleTimeout = idleTimeout == null ? DEFAULT_IDLE : idleTimeout;
            if (idleTimeout.toMillis() < 1000) {
                throw new ConfigException("idle_timeout", "must be at least 1s, got " + Durations.format(idleTimeout));
            }
        }
    }
}
