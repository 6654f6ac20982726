package io.distgate.bridge.relay;

/**
 * Why a relayed path ended.
 *
 * @param label  short and stable, a metric label: {@code closed}, {@code net_tick_timeout},
 *               {@code protocol_error}, {@code io_error}, {@code tunnel_down}, {@code shutdown}
 * @param detail for the log line
 */
public record CloseReason(String label, String detail) {

    public static final String CLOSED = "closed";
    public static final String TICK_TIMEOUT = "net_tick_timeout";
    public static final String PROTOCOL = "protocol_error";
    public static final String IO = "io_error";
    public static final String TUNNEL_DOWN = "tunnel_down";
    public static final String SHUTDOWN = "shutdown";

    public static CloseReason closed(String detail) {
        return new CloseReason(CLOSED, detail);
    }

    @Override
    public String toString() {
        return label + ": " + detail;
    }
}
