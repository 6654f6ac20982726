package io.distgate.gateway.ssh;

import io.distgate.gateway.tunnel.TunnelListener;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks an SSH server's host key against an OpenSSH known_hosts file. An unknown key is
 * refused unless the loudly named insecure option says otherwise; a changed key is always
 * refused. Both are logged and counted.
 */
final class HostKeyVerifier extends KnownHostsServerKeyVerifier {

    private static final Logger LOG = LoggerFactory.getLogger("io.distgate.tunnel");

    private final TunnelListener listener;
    private final boolean acceptUnknown;

    HostKeyVerifier(Path knownHosts, boolean acceptUnknown, TunnelListener listener) {
        super(RejectAllServerKeyVerifier.INSTANCE, knownHosts);
        this.acceptUnknown = acceptUnknown;
        this.listener = listener;
    }

    @Override
    protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey key) {
        String detail = "host key of " + remote + " (" + KeyUtils.getFingerPrint(key) + ") is not in " + getPath();
        if (acceptUnknown) {
            LOG.warn("tunnel insecure transport=ssh: accepting an unknown {} because insecure_accept_unknown_host_keys is set", detail);
            return true;
        }
        listener.authFailure("ssh", "unknown_host_key", detail);
        return false;
    }

    @Override
    public boolean acceptModifiedServerKey(ClientSession session, SocketAddress remote, KnownHostEntry entry,
            PublicKey expected, PublicKey actual) {
        listener.authFailure("ssh", "changed_host_key", "host key of " + remote + " is " + KeyUtils.getFingerPrint(actual)
                + " but " + getPath() + " has " + KeyUtils.getFingerPrint(expected) + " for it");
        return false;
    }
}
