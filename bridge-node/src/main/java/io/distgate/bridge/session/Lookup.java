package io.distgate.bridge.session;

import io.distgate.bridge.dist.NodeName;
import io.distgate.bridge.session.FarSite.Availability;

/** The question and answer of a lookup stream: is a node registered at the far site now? */
public final class Lookup {

    private Lookup() {
    }

    public record Request(NodeName node) {
    }

    public record Answer(Availability availability) {
    }
}
