package io.distgate.bridge.site;

import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.session.FarSite;

/** Which other site serves a node name, as seen from one site. */
public interface Router {

    /** The far site serving {@code node}, or null when the gateway does not route it. */
    FarSite route(NodeName node);
}
