package io.distgate.gateway.config;

/**
 * Where the streams of an SSH tunnel enter and leave, as loopback ports on the host of the SSH
 * server (the listening gateway's, or an OpenSSH bastion's). Both gateways name the same two
 * ports: the listening side binds {@code stream_port}; the dialling side forwards its streams
 * to it ({@code direct-tcpip}) and asks the SSH server to forward {@code reverse_port} back to
 * itself ({@code tcpip-forward}), which the listening side dials to open streams of its own.
 */
public record SshPeerConfig(Integer streamPort, Integer reversePort) {

    public SshPeerConfig {
        if (streamPort == null) {
            throw new ConfigException("stream_port", "missing: the loopback port where the listening gateway takes this tunnel's streams");
        }
        if (reversePort == null) {
            throw new ConfigException("reverse_port", "missing: the loopback port the SSH server forwards back to the dialling gateway");
        }
        port("stream_port", streamPort);
        port("reverse_port", reversePort);
        if (streamPort.equals(reversePort)) {
            throw new ConfigException("reverse_port", "must differ from stream_port (" + streamPort + ")");
        }
    }

    private static void port(String key, int port) {
        if (port < 1 || port > 65535) {
            throw new ConfigException(key, port + " is outside 1..65535");
        }
    }
}
