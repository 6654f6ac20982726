package io.distgate.bridge.relay;

/** Direction of relayed traffic, seen from the site whose node is on this leg. */
public enum Direction {
    /** From a node of this site towards the peer site. */
    OUT("out"),
    /** From the peer site towards a node of this site. */
    IN("in");

    private final String label;

    Direction(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
