package io.distgate.bridge.epmd;

import java.util.Objects;

/**
 * PORT2_RESP (tag 119, {@code 'w'}), the answer to {@link PortPlease2Request}. epmd closes the
 * connection after it, which is how the reader knows it is complete.
 */
public sealed interface Port2Response permits Port2Response.Found, Port2Response.NotFound {

    /** Result 0: the node is registered; {@code node} is its entry as epmd stored it. */
    record Found(NodeEntry node) implements Port2Response {

        public Found {
            Objects.requireNonNull(node, "node");
        }
    }

    /** Result above 0: no node of that name is registered (epmd sends 1). */
    record NotFound(int result) implements Port2Response {

        public NotFound {
            if (result < 1 || result > 0xFF) {
                throw new IllegalArgumentException("PORT2_RESP error Result must be in 1..255, was " + result);
            }
        }
    }
}
