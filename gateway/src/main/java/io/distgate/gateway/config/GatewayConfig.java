package io.distgate.gateway.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole configuration file (docs/configuration.md): the sites this gateway joins, the peer
 * sites it reaches through tunnels, the tunnel settings and the metrics endpoint.
 */
public record GatewayConfig(List<SiteConfig> sites, List<PeerConfig> peers, TunnelConfig tunnel, MetricsConfig metrics) {

    /** Hosts that bind every local address, so they clash with any host on the same port. */
    private static final Set<String> WILDCARD = Set.of("0.0.0.0", "::", "0:0:0:0:0:0:0:0");

    public GatewayConfig {
        if (sites == null || sites.isEmpty()) {
            throw new ConfigException("sites", "missing: list at least one site the gateway joins");
        }
        for (int i = 0; i < sites.size(); i++) {
            if (sites.get(i) == null) {
                throw new ConfigException("sites[" + i + "]", "empty entry: expected a site section (name, cookie, nodes, name_service)");
            }
        }
        sites = List.copyOf(sites);
        metrics = metrics == null ? MetricsConfig.defaults() : metrics;
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < sites.size(); i++) {
            SiteConfig s = sites.get(i);
            Integer previous = names.put(s.name(), i);
            if (previous != null) {
                throw new ConfigException("sites[" + i + "].name", "'" + s.name() + "' is already the name of sites[" + previous + "]");
            }
            HostPort listen = s.nameService().listen();
            for (int j = 0; j < i; j++) {
                HostPort other = sites.get(j).nameService().listen();
                if (clash(listen, other)) {
                    throw new ConfigException("sites[" + i + "].name_service.listen", listen
                            + (listen.equals(other) ? "" : " overlaps " + other + ", which")
                            + " is already used by site " + sites.get(j).name());
                }
            }
            if (!s.nodeNames().equals(sites.get(0).nodeNames())) {
                throw new ConfigException("sites[" + i + "].node_names", "site " + s.name() + " uses " + s.nodeNames()
                        + " but site " + sites.get(0).name() + " uses " + sites.get(0).nodeNames()
                        + "; Erlang cannot connect short-name and long-name nodes");
            }
        }
        peers = peers == null ? List.of() : peers;
        for (int i = 0; i < peers.size(); i++) {
            if (peers.get(i) == null) {
                throw new ConfigException("peers[" + i + "]", "empty entry: expected a peer section (site, nodes, dial)");
            }
        }
        peers = List.copyOf(peers);
        for (int i = 0; i < peers.size(); i++) {
            String site = peers.get(i).site();
            Integer previous = names.put(site, -1 - i);
            if (previous != null) {
                throw new ConfigException("peers[" + i + "].site", "'" + site + "' is already the name of "
                        + (previous >= 0 ? "sites[" + previous + "]" : "peers[" + (-1 - previous) + "]"));
            }
        }
        if (!peers.isEmpty() && sites.size() != 1) {
            throw new ConfigException("sites", "with peers, list exactly one site: the site this gateway serves"
                    + " (its certificate names it); got " + sites.size());
        }
        if (!peers.isEmpty() && tunnel == null) {
            throw new ConfigException("tunnel", "missing: peers are reached through a tunnel (transport, tls files, listen or dial)");
        }
        if (tunnel != null && tunnel.transport().equals("tls") && tunnel.listen() == null
                && peers.stream().allMatch(p -> p.dial() == null)) {
            throw new ConfigException("tunnel.listen", "missing: no peer has a dial address, so this gateway must listen");
        }
        if (tunnel != null && tunnel.transport().equals("ssh")) {
            for (int i = 0; i < peers.size(); i++) {
                PeerConfig p = peers.get(i);
                if (p.ssh() == null) {
                    throw new ConfigException("peers[" + i + "].ssh", "missing: stream_port and reverse_port for transport ssh");
                }
                if (p.dial() != null && (tunnel.ssh().identity() == null || tunnel.ssh().knownHosts() == null)) {
                    throw new ConfigException("tunnel.ssh." + (tunnel.ssh().identity() == null ? "identity" : "known_hosts"),
                            "missing: dialling peer " + p.site() + " over SSH needs a client key and the server's known host key");
                }
            }
        }
        HostPort endpoint = metrics.address();
        for (SiteConfig s : sites) {
            if (endpoint != null && clash(endpoint, s.nameService().listen())) {
                throw new ConfigException("metrics.listen", endpoint + " is already used by site " + s.name()
                        + " (name_service.listen " + s.nameService().listen() + ")");
            }
        }
        if (tunnel != null && tunnel.listen() != null) {
            for (SiteConfig s : sites) {
                if (clash(tunnel.listen(), s.nameService().listen())) {
                    throw new ConfigException("tunnel.listen", tunnel.listen() + " is already used by site " + s.name()
                            + " (name_service.listen)");
                }
            }
            if (endpoint != null && clash(tunnel.listen(), endpoint)) {
                throw new ConfigException("tunnel.listen", tunnel.listen() + " is already used by metrics.listen");
            }
        }
    }

    /** Two listeners that cannot both bind: same port (other than 0, any free port) on the same or a wildcard host. */
    private static boolean clash(HostPort a, HostPort b) {
        return a.port() != 0 && a.port() == b.port()
                && (a.host().equals(b.host()) || WILDCARD.contains(a.host()) || WILDCARD.contains(b.host()));
    }
}
