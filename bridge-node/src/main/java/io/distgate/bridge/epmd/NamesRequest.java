package io.distgate.bridge.epmd;

/** NAMES_REQ (tag 110, {@code 'n'}): list the registered nodes. The body is the tag alone. */
public record NamesRequest() implements EpmdRequest {
}
