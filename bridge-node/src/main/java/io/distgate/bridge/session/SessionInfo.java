package io.distgate.bridge.session;

import io.distgate.bridge.dist.NodeName;

/**
 * Who a session is between, from the point of view of one site's half of it.
 *
 * @param localSite  the site whose node is on this half's leg
 * @param peerSite   the site of the node on the other end
 * @param role       NEAR: the local node dialled; FAR: the gateway dialled the local node
 * @param localNode  the node on this half's leg
 * @param remoteNode the node of the peer site
 */
public record SessionInfo(String localSite, String peerSite, Role role, NodeName localNode, NodeName remoteNode) {

    public enum Role { NEAR, FAR }

    /** {@code from -> to} in the direction the connection was dialled, for log lines. */
    public String pair() {
        return role == Role.NEAR ? localNode + " -> " + remoteNode : remoteNode + " -> " + localNode;
    }

    @Override
    public String toString() {
        return pair() + " site=" + localSite + " peer_site=" + peerSite;
    }
}
