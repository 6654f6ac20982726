package io.distgate.gateway.config;

import java.net.InetSocketAddress;

/** {@code host:port} (IPv6 as {@code [::1]:port}); port 0 means any free port. */
public record HostPort(String host, int port) {

    public static HostPort parse(String key, String text) {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new ConfigException(key, "'" + text + "' is not host:port");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "port in '" + text + "' is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException(key, "port " + port + " is outside 0..65535");
        }
        return new HostPort(host, port);
    }

    public InetSocketAddress toAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
