package io.distgate.gateway.config;

import java.nio.file.Path;

/**
 * SSH identity and trust for {@code tunnel.transport: ssh} (docs/configuration.md, "tunnel.ssh").
 *
 * @param hostKey                       the embedded SSH server's host key (OpenSSH private key), when {@code tunnel.listen}
 * @param authorizedKeys                client keys the embedded server accepts, each line with {@code distgate-site="<site>"}
 * @param identity                      this gateway's client key (OpenSSH private key), when it dials
 * @param knownHosts                    host keys of the SSH servers it dials, OpenSSH known_hosts format
 * @param user                          login name when dialling; default: this site's name (what the embedded server expects)
 * @param channelWindow                 SSH channel window per stream
 * @param packetSize                    largest SSH packet per channel
 * @param insecureAcceptUnknownHostKeys accept a server whose key is not in known_hosts (never a changed one): for trials only
 */
public record SshConfig(Path hostKey, Path authorizedKeys, Path identity, Path knownHosts, String user,
        ByteSize channelWindow, ByteSize packetSize, Boolean insecureAcceptUnknownHostKeys) {

    public SshConfig {
        channelWindow = channelWindow == null ? new ByteSize(4L << 20) : channelWindow;
        packetSize = packetSize == null ? new ByteSize(32L << 10) : packetSize;
        if (channelWindow.bytes() < 64 << 10 || channelWindow.bytes() > (1L << 31) - 1) {
            throw new ConfigException("channel_window", "must be 64KiB..2GiB-1, got " + channelWindow);
        }
        if (packetSize.bytes() < 4 << 10 || packetSize.bytes() > 256 << 10) {
            throw new ConfigException("packet_size", "must be 4KiB..256KiB, got " + packetSize);
        }
        insecureAcceptUnknownHostKeys = insecureAcceptUnknownHostKeys != null && insecureAcceptUnknownHostKeys;
    }
}
