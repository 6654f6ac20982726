package io.distgate.gateway.config;

import java.time.Duration;

/**
 * The link between this gateway and its peers (docs/configuration.md, "tunnel").
 *
 * @param transport        tls (HTTP/2 over TLS 1.3) or ssh (one SSH channel per stream)
 * @param listen           where peers dial this gateway (TLS, or the embedded SSH server), or null
 * @param tls              identity and trust for transport tls
 * @param ssh              identity and trust for transport ssh
 * @param pingInterval     how often liveness is probed (HTTP/2 PING); each probe is an RTT sample
 * @param deadAfter        a tunnel with no answer for this long is dead: every session over it is closed
 * @param handshakeTimeout deadline for connect + TLS handshake + HTTP/2 preface
 * @param reconnectMin     first delay before dialling again after a failure
 * @param reconnectMax     cap of the exponentially growing delay (jitter of up to 20 % on top)
 * @param streamWindow     HTTP/2 flow-control window per stream (one stream per node pair)
 * @param connectionWindow HTTP/2 flow-control window of the whole tunnel
 * @param drainTimeout     on shutdown, how long sessions may drain after GOAWAY before they are closed
 * @param lookupTimeout    deadline for asking the peer whether a node exists
 */
public record TunnelConfig(
        String transport,
        HostPort listen,
        TlsConfig tls,
        SshConfig ssh,
        Duration pingInterval,
        Duration deadAfter,
        Duration handshakeTimeout,
        Duration reconnectMin,
        Duration reconnectMax,
        ByteSize streamWindow,
        ByteSize connectionWindow,
        Duration drainTimeout,
        Duration lookupTimeout) {

    static final long MIN_STREAM_WINDOW = 64 << 10;
    static final long MAX_WINDOW = (1L << 31) - 1;

    public TunnelConfig {
        transport = transport == null ? "tls" : transport;
        if (!transport.equals("tls") && !transport.equals("ssh")) {
            throw new ConfigException("transport", "expected tls or ssh, got '" + transport + "'");
        }
        if (transport.equals("tls") && tls == null) {
            throw new ConfigException("tls", "missing: cert, key and ca files for transport tls");
        }
        if (transport.equals("ssh") && ssh == null) {
            throw new ConfigException("ssh", "missing: keys and known hosts for transport ssh");
        }
        if (transport.equals("ssh") && listen != null && (ssh.hostKey() == null || ssh.authorizedKeys() == null)) {
            throw new ConfigException("ssh." + (ssh.hostKey() == null ? "host_key" : "authorized_keys"),
                    "missing: the embedded SSH server (tunnel.listen) needs a host key and an authorized_keys file");
        }
        pingInterval = orDefault(pingInterval, Duration.ofSeconds(1));
        deadAfter = orDefault(deadAfter, Duration.ofSeconds(5));
        handshakeTimeout = orDefault(handshakeTimeout, Duration.ofSeconds(10));
        reconnectMin = orDefault(reconnectMin, Duration.ofMillis(200));
        reconnectMax = orDefault(reconnectMax, Duration.ofSeconds(10));
        streamWindow = streamWindow == null ? new ByteSize(4L << 20) : streamWindow;
        connectionWindow = connectionWindow == null ? new ByteSize(16L << 20) : connectionWindow;
        drainTimeout = orDefault(drainTimeout, Duration.ofSeconds(1));
        lookupTimeout = orDefault(lookupTimeout, Duration.ofSeconds(3));
        atLeast("ping_interval", pingInterval, Duration.ofMillis(50));
        if (deadAfter.compareTo(pingInterval.multipliedBy(2)) < 0) {
            throw new ConfigException("dead_after", "must be at least twice ping_interval (" + Durations.format(pingInterval)
                    + "), got " + Durations.format(deadAfter));
        }
        atLeast("handshake_timeout", handshakeTimeout, Duration.ofMillis(100));
        atLeast("reconnect_min", reconnectMin, Duration.ofMillis(10));
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new ConfigException("reconnect_max", "must be at least reconnect_min (" + Durations.format(reconnectMin) + ")");
        }
        window("stream_window", streamWindow);
        window("connection_window", connectionWindow);
        if (connectionWindow.bytes() < streamWindow.bytes()) {
            throw new ConfigException("connection_window", "must be at least stream_window (" + streamWindow + ")");
        }
        atLeast("lookup_timeout", lookupTimeout, Duration.ofMillis(100));
    }

    private static Duration orDefault(Duration value, Duration fallback) {
        return value == null ? fallback : value;
    }

    private static void atLeast(String key, Duration value, Duration min) {
        if (value.compareTo(min) < 0) {
            throw new ConfigException(key, "must be at least " + Durations.format(min) + ", got " + Durations.format(value));
        }
    }

    private static void window(String key, ByteSize size) {
        if (size.bytes() < MIN_STREAM_WINDOW || size.bytes() > MAX_WINDOW) {
            throw new ConfigException(key, "must be 64KiB..2GiB-1 (HTTP/2 limits), got " + size);
        }
    }
}
