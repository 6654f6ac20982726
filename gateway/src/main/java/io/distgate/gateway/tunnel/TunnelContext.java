package io.distgate.gateway.tunnel;

import io.distgate.bridge.site.NodePatterns;
import io.distgate.bridge.session.StreamAcceptor;
import io.distgate.gateway.config.TunnelConfig;
import java.util.Map;

/**
 * What every tunnel of one gateway shares.
 *
 * @param peers node patterns of each peer site, by site name: a peer opens sessions only for its own nodes
 */
record TunnelContext(TunnelConfig config, StreamAcceptor.LocalSites localSites, Map<String, NodePatterns> peers,
        TunnelListener listener, PeerLinks tunnels) {

    NodePatterns peerNodes(String site) {
        return peers.get(site);
    }
}
