package io.distgate.it.scenarios;

import io.distgate.bridge.dist.NameMode;
import io.distgate.it.harness.BastionPair;
import io.distgate.it.harness.TwoSites;

/** The cross-site scenarios with site B behind a stock OpenSSH server (issue #4, the bastion case). */
class SshBastionIT extends CrossSiteScenarios {

    @Override
    protected TwoSites startSites() {
        return BastionPair.start(NameMode.SHORT);
    }
}
