package io.distgate.gateway.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The whole configuration file (docs/configuration.md). */
public record GatewayConfig(List<SiteConfig> sites, MetricsConfig metrics) {

    public GatewayConfig {
        if (sites == null || sites.isEmpty()) {
            throw new ConfigException("sites", "missing: list at least one site the gateway joins");
        }
        sites = List.copyOf(sites);
        metrics = metrics == null ? MetricsConfig.defaults() : metrics;
        Map<String, Integer> names = new HashMap<>();
        Map<String, String> listens = new HashMap<>();
        for (int i = 0; i < sites.size(); i++) {
            SiteConfig s = sites.get(i);
            Integer previous = names.put(s.name(), i);
            if (previous != null) {
                throw new ConfigException("sites[" + i + "].name", "'" + s.name() + "' is already the name of sites[" + previous + "]");
            }
            String listen = s.nameService().listen().toString();
            String other = listens.put(listen, s.name());
            if (other != null && s.nameService().listen().port() != 0) {
                throw new ConfigException("sites[" + i + "].name_service.listen", listen + " is already used by site " + other);
            }
            if (!s.nodeNames().equals(sites.get(0).nodeNames())) {
                throw new ConfigException("sites[" + i + "].node_names", "site " + s.name() + " uses " + s.nodeNames()
                        + " but site " + sites.get(0).name() + " uses " + sites.get(0).nodeNames()
                        + "; Erlang cannot connect short-name and long-name nodes");
            }
        }
    }
}
