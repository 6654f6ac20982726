package io.distgate.bridge.epmd;

import io.distgate.bridge.dist.NodeName;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * PORT2_RESP (tag 119, {@code 'w'}), the answer to {@link PortPlease2Request}. epmd closes the
 * connection after it, which is how the reader knows it is complete.
 */
public sealed interface Port2Response permits Port2Response.Found, Port2Response.NotFound {

    /**
     * Result 0: the node is registered.
     *
     * @param port the node's distribution listen port
     * @param nodeType as registered; OTP reads and discards it, hidden-ness is a handshake flag
     * @param protocol 0 = TCP
     * @param highestVersion highest distribution version the node speaks
     * @param lowestVersion lowest distribution version the node speaks
     * @param name the registered name, as epmd stored it
     * @param extra opaque bytes from the registration
     */
    record Found(int port, int nodeType, int protocol, int highestVersion, int lowestVersion, String name,
            byte[] extra) implements Port2Response {

        public Found {
            EpmdFields.checkRange(port, 0xFFFF, "PORT2_RESP PortNo");
            EpmdFields.checkRange(nodeType, 0xFF, "PORT2_RESP NodeType");
            EpmdFields.checkRange(protocol, 0xFF, "PORT2_RESP Protocol");
            EpmdFields.checkRange(highestVersion, 0xFFFF, "PORT2_RESP HighestVersion");
            EpmdFields.checkRange(lowestVersion, 0xFFFF, "PORT2_RESP LowestVersion");
            EpmdFields.checkName(name, "PORT2_RESP NodeName");
            EpmdFields.checkExtra(extra, "PORT2_RESP Extra");
            extra = extra.clone();
        }

        @Override
        public byte[] extra() {
            return extra.clone();
        }

        // A record compares arrays by identity; these compare Extra by content.
        @Override
        public boolean equals(Object o) {
            return o instanceof Found f && port == f.port && nodeType == f.nodeType && protocol == f.protocol
                    && highestVersion == f.highestVersion && lowestVersion == f.lowestVersion
                    && name.equals(f.name) && Arrays.equals(extra, f.extra);
        }

        @Override
        public int hashCode() {
            return Objects.hash(port, nodeType, protocol, highestVersion, lowestVersion, name) * 31 + Arrays.hashCode(extra);
        }

        @Override
        public String toString() {
            return "Found[port=" + port + ", nodeType=" + nodeType + ", protocol=" + protocol
                    + ", highestVersion=" + highestVersion + ", lowestVersion=" + lowestVersion
                    + ", name=" + NodeName.printable(name) + ", extra=" + HexFormat.of().formatHex(extra) + "]";
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
