package io.distgate.bridge.epmd;

import io.distgate.bridge.dist.NodeName;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One node's entry in epmd: the fields a node registers with ALIVE2_REQ and epmd hands back,
 * unchanged, in PORT2_RESP (fact sheet 1.1–1.3). Both messages lay them out the same way.
 *
 * @param port the node's distribution listen port
 * @param nodeType 77 ({@code 'M'}) for an Erlang node; OTP reads and discards it on lookup,
 *     hidden-ness is a handshake flag (fact sheet 1.3)
 * @param protocol 0 = TCP
 * @param highestVersion highest distribution version, 6 on OTP 23+
 * @param lowestVersion lowest distribution version, 6 on OTP 25+
 * @param name alive part of the node name
 * @param extra opaque bytes; every known client sends none
 */
public record NodeEntry(int port, int nodeType, int protocol, int highestVersion, int lowestVersion, String name,
        byte[] extra) {

    public NodeEntry {
        EpmdFields.checkRange(port, 0xFFFF, "PortNo");
        EpmdFields.checkRange(nodeType, 0xFF, "NodeType");
        EpmdFields.checkRange(protocol, 0xFF, "Protocol");
        EpmdFields.checkRange(highestVersion, 0xFFFF, "HighestVersion");
        EpmdFields.checkRange(lowestVersion, 0xFFFF, "LowestVersion");
        EpmdFields.checkName(name, "NodeName");
        EpmdFields.checkExtra(extra, "Extra");
        extra = extra.clone();
    }

    @Override
    public byte[] extra() {
        return extra.clone();
    }

    // A record compares arrays by identity; these compare Extra by content.
    @Override
    public boolean equals(Object o) {
        return o instanceof NodeEntry e && port == e.port && nodeType == e.nodeType && protocol == e.protocol
                && highestVersion == e.highestVersion && lowestVersion == e.lowestVersion
                && name.equals(e.name) && Arrays.equals(extra, e.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(port, nodeType, protocol, highestVersion, lowestVersion, name) * 31 + Arrays.hashCode(extra);
    }

    @Override
    public String toString() {
        return "NodeEntry[port=" + port + ", nodeType=" + nodeType + ", protocol=" + protocol
                + ", highestVersion=" + highestVersion + ", lowestVersion=" + lowestVersion
                + ", name=" + NodeName.printable(name) + ", extra=" + HexFormat.of().formatHex(extra) + "]";
    }
}
