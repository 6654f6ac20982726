package io.distgate.bridge.epmd;

/** A request to EPMD, as carried after the 2-byte length (Distribution Protocol, "EPMD Protocol"). */
public sealed interface EpmdRequest permits PortPlease2Request, NamesRequest, Alive2Request {
}
