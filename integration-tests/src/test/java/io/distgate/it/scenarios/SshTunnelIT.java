package io.distgate.it.scenarios;

import io.distgate.bridge.dist.NameMode;
import io.distgate.it.harness.SshPair;
import io.distgate.it.harness.TwoSites;

/** The cross-site scenarios with one gateway per site, linked over SSH (issue #4). */
class SshTunnelIT extends CrossSiteScenarios {

    @Override
    protected TwoSites startSites() {
        return SshPair.start(NameMode.SHORT);
    }
}
