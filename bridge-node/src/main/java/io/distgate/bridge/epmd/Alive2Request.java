package io.distgate.bridge.epmd;

import java.util.Objects;

/**
 * ALIVE2_REQ (tag 120, {@code 'x'}): register a node. The connection that carries it must stay
 * open for as long as the node is alive; closing it unregisters the name (fact sheet 1.1).
 */
public record Alive2Request(NodeEntry node) implements EpmdRequest {

    public Alive2Request {
        Objects.requireNonNull(node, "node");
    }
}
