package io.distgate.bridge.epmd;

import io.distgate.bridge.dist.NodeName;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * ALIVE2_REQ (tag 120, {@code 'x'}): register a node. The connection that carries it must stay
 * open for as long as the node is alive; closing it unregisters the name (fact sheet 1.1).
 *
 * @param port the node's distribution listen port
 * @param nodeType 77 ({@code 'M'}) for an Erlang node; see fact sheet 1.3 for what others send
 * @param protocol 0 = TCP
 * @param highestVersion highest distribution version, 6 on OTP 23+
 * @param lowestVersion lowest distribution version, 6 on OTP 25+
 * @param name alive part of the node name
 * @param extra opaque bytes returned in PORT2_RESP; every known client sends none
 */
public record Alive2Request(int port, int nodeType, int protocol, int highestVersion, int lowestVersion,
        String name, byte[] extra) implements EpmdRequest {

    public Alive2Request {
        EpmdFields.checkRange(port, 0xFFFF, "ALIVE2_REQ PortNo");
        EpmdFields.checkRange(nodeType, 0xFF, "ALIVE2_REQ NodeType");
        EpmdFields.checkRange(protocol, 0xFF, "ALIVE2_REQ Protocol");
        EpmdFields.checkRange(highestVersion, 0xFFFF, "ALIVE2_REQ HighestVersion");
        EpmdFields.checkRange(lowestVersion, 0xFFFF, "ALIVE2_REQ LowestVersion");
        EpmdFields.checkName(name, "ALIVE2_REQ NodeName");
        EpmdFields.checkExtra(extra, "ALIVE2_REQ Extra");
        extra = extra.clone();
    }

    @Override
    public byte[] extra() {
        return extra.clone();
    }

    // A record compares arrays by identity; these compare Extra by content.
    @Override
    public boolean equals(Object o) {
        return o instanceof Alive2Request r && port == r.port && nodeType == r.nodeType && protocol == r.protocol
                && highestVersion == r.highestVersion && lowestVersion == r.lowestVersion
                && name.equals(r.name) && Arrays.equals(extra, r.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(port, nodeType, protocol, highestVersion, lowestVersion, name) * 31 + Arrays.hashCode(extra);
    }

    @Override
    public String toString() {
        return "Alive2Request[port=" + port + ", nodeType=" + nodeType + ", protocol=" + protocol
                + ", highestVersion=" + highestVersion + ", lowestVersion=" + lowestVersion
                + ", name=" + NodeName.printable(name) + ", extra=" + HexFormat.of().formatHex(extra) + "]";
    }
}
