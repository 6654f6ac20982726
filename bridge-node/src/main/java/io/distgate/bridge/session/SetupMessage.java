package io.distgate.bridge.session;

import io.distgate.bridge.dist.NodeName;

/**
 * What the two halves of a session tell each other while both handshakes run. The near half
 * serves the node that dialled a proxy port; the far half dials the node it asked for. In one
 * process the messages are handed over as objects; across sites they are encoded on the tunnel
 * stream (docs/tunnel-protocol.md).
 *
 * <p>Order: Open → FarStatus → [StatusReply after alive] → FarChallenge → NearAuthenticated →
 * FarUp. Either half may send Refuse at any point before FarUp; it ends the session.
 */
public sealed interface SetupMessage {

    /**
     * Near → far: dial {@code to} under the name {@code from}, offering {@code flags} and
     * announcing {@code creation}, with handshake {@code version} 5 or 6 (mirrors the dialler).
     * For version 5, flags are the low 32 bits and creation is 0 until NearAuthenticated.
     */
    record Open(NodeName from, NodeName to, long flags, long creation, int version) implements SetupMessage {
    }

    /** Far → near: the dialled node's status: ok, ok_simultaneous, alive, nok or not_allowed. */
    record FarStatus(String status) implements SetupMessage {
    }

    /** Near → far: the dialler's answer to alive. */
    record StatusReply(boolean pending) implements SetupMessage {
    }

    /** Far → near: the dialled node's flags (MANDATORY_25_DIGEST expanded) and creation, from its challenge. */
    record FarChallenge(long flags, long creation) implements SetupMessage {
    }

    /**
     * Near → far: the dialler proved it knows its site's cookie. For version 5 it carries the
     * complement (high flag bits already filtered, and the creation); for version 6 both are 0.
     */
    record NearAuthenticated(long flagsHigh, long creation) implements SetupMessage {
    }

    /** Far → near: the dialled node proved it knows its site's cookie; relaying may start. */
    record FarUp() implements SetupMessage {
    }

    /** Either way: the session ends before it is up. */
    record Refuse(SetupFailure failure, String detail) implements SetupMessage {
    }
}
