package io.distgate.it.scenarios;

import io.distgate.bridge.dist.NameMode;
import io.distgate.it.harness.TlsPair;
import io.distgate.it.harness.TwoSites;

/** The cross-site scenarios with one gateway per site, linked by mutual TLS + HTTP/2 (issue #3). */
class TlsTunnelIT extends CrossSiteScenarios {

    @Override
    protected TwoSites startSites() {
        return TlsPair.start(NameMode.SHORT);
    }
}
