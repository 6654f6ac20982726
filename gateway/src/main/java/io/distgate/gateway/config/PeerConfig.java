package io.distgate.gateway.config;

import io.distgate.bridge.site.NodePatterns;
import io.distgate.tls.SiteIdentity;
import java.util.List;

/**
 * A remote site reached through a tunnel (docs/configuration.md, "peers").
 *
 * @param site  the peer's site name; its certificate (TLS) or key (SSH) must prove it
 * @param nodes node-name patterns of the peer site
 * @param dial  where to dial the peer's gateway (or its SSH server), or null to wait for it to dial this one
 * @param ssh   for transport ssh: the stream and reverse ports of this tunnel
 */
public record PeerConfig(String site, List<String> nodes, HostPort dial, SshPeerConfig ssh) {

    public PeerConfig {
        if (site == null) {
            throw new ConfigException("site", "missing: the peer's site name, as its certificate names it");
        }
        if (!SiteIdentity.isValidSiteName(site)) {
            throw new ConfigException("site", "'" + site + "' is not a site name (" + SiteIdentity.SITE_NAME_RULE + ")");
        }
        if (nodes == null || nodes.isEmpty()) {
            throw new ConfigException("nodes", "missing: list the node-name patterns of site " + site);
        }
        nodes = List.copyOf(nodes);
        for (int i = 0; i < nodes.size(); i++) {
            String glob = nodes.get(i);
            int index = i;
            SiteConfig.check("nodes[" + index + "]", () -> NodePatterns.of(List.of(glob == null ? "" : glob)));
        }
        if (dial != null && dial.port() == 0) {
            throw new ConfigException("dial", "port 0 cannot be dialled");
        }
    }

    public NodePatterns patterns() {
        return NodePatterns.of(nodes);
    }
}
