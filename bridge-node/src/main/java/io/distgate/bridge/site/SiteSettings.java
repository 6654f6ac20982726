package io.distgate.bridge.site;

import io.distgate.bridge.dist.Cookie;
import io.distgate.bridge.dist.NameMode;
import java.time.Duration;
import java.util.Objects;

/**
 * What the gateway needs to know about a site it joins as a bridge node.
 *
 * @param name         site name, used in logs, metrics and routing
 * @param cookie       the site's distribution cookie
 * @param nameMode     short or long node names; every node of the site uses the same
 * @param nodes        which node names live at this site
 * @param epmdPort     the port of the site's EPMD on every host (ERL_EPMD_PORT)
 * @param netTicktime  the site's net_ticktime: ticks go out every quarter of it, a leg silent for all of it is dead
 * @param setupTimeout deadline for each handshake step (net_setuptime)
 * @param visibility   hidden (default) or published cross-site connections
 */
public record SiteSettings(
        String name,
        Cookie cookie,
        NameMode nameMode,
        NodePatterns nodes,
        int epmdPort,
        Duration netTicktime,
        Duration setupTimeout,
        Visibility visibility) {

    /** OTP's default net_tickintensity: ticks per net_ticktime. */
    public static final int TICK_INTENSITY = 4;

    public SiteSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cookie, "cookie");
        Objects.requireNonNull(nameMode, "nameMode");
        Objects.requireNonNull(nodes, "nodes");
        Objects.requireNonNull(netTicktime, "netTicktime");
        Objects.requireNonNull(setupTimeout, "setupTimeout");
        Objects.requireNonNull(visibility, "visibility");
        if (epmdPort < 1 || epmdPort > 65535) {
            throw new IllegalArgumentException("epmd port must be 1..65535, got " + epmdPort);
        }
        if (netTicktime.toMillis() < TICK_INTENSITY) {
            throw new IllegalArgumentException("net_ticktime must be at least " + TICK_INTENSITY + " ms");
        }
    }

    public Duration tickInterval() {
        return netTicktime.dividedBy(TICK_INTENSITY);
    }
}
