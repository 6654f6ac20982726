package io.distgate.gateway.config;

/**
 * The Prometheus endpoint. Bound to loopback by default: exposing it off-host is the
 * operator's choice. {@code listen: none} turns the endpoint off.
 */
public record MetricsConfig(String listen) {

    static final String DEFAULT_LISTEN = "127.0.0.1:9464";

    public MetricsConfig {
        listen = listen == null ? DEFAULT_LISTEN : listen;
        if (!listen.equals("none")) {
            HostPort.parse("listen", listen);
        }
    }

    public static MetricsConfig defaults() {
        return new MetricsConfig(null);
    }

    /** The address to serve on, or null when turned off. */
    public HostPort address() {
        return listen.equals("none") ? null : HostPort.parse("listen", listen);
    }
}
