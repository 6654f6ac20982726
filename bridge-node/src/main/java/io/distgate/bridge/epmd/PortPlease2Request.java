package io.distgate.bridge.epmd;

/**
 * PORT_PLEASE2_REQ (tag 122, {@code 'z'}): which port does this node listen on?
 *
 * <p>{@code name} is everything after the tag, as UTF-8, with no terminator. Standard EPMD keys
 * nodes by the alive part only (the host is implied by which epmd was asked); the distgate name
 * service also accepts a full {@code alive@host}, so the record does not insist on either form.
 */
public record PortPlease2Request(String name) implements EpmdRequest {

    public PortPlease2Request {
        EpmdFields.checkName(name, "PORT_PLEASE2_REQ NodeName");
    }
}
