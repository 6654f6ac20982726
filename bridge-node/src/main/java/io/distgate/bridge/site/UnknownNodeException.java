package io.distgate.bridge.site;

import io.distgate.bridge.dist.NodeName;

/** The node is not registered with its host's EPMD: it is not running (or has another name). */
public final class UnknownNodeException extends Exception {

    private static final long serialVersionUID = 1L;

    public UnknownNodeException(NodeName node, String epmd) {
        super("node " + node + " is not registered with the EPMD at " + epmd, null, false, false);
    }
}
