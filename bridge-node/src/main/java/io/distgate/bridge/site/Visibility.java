package io.distgate.bridge.site;

/**
 * Whether cross-site connections carry DFLAG_PUBLISHED (D3). Hidden keeps the sites separate
 * meshes: no transitive connects over the WAN, no {@code global} name sync across sites.
 */
public enum Visibility {
    HIDDEN,
    /** Opt-in: the two clusters merge into one visible mesh through the gateway. */
    PUBLISHED
}
