package io.distgate.it.scenarios;

import io.distgate.bridge.dist.NameMode;
import io.distgate.it.harness.LocalBridge;
import io.distgate.it.harness.TwoSites;

/** The cross-site scenarios with both sites bridged by one gateway process (issue #2). */
class LocalBridgeIT extends CrossSiteScenarios {

    @Override
    protected TwoSites startSites() {
        return LocalBridge.start(NameMode.SHORT);
    }
}
