package io.distgate.gateway.ssh;

import io.distgate.gateway.config.HostPort;
import io.distgate.gateway.config.SshPeerConfig;
import io.distgate.gateway.tunnel.TunnelListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.forward.DirectTcpipFactory;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.apache.sshd.server.session.ServerSession;

/**
 * The SSH server a listening gateway embeds (Apache MINA SSHD). It allows only what distgate
 * needs: public-key login by a key of a configured peer site, under that site's name, then
 * direct-tcpip to that site's stream port and tcpip-forward of that site's reverse port, both
 * on loopback. Every other request is refused, logged and counted.
 */
final class EmbeddedSshServer {

    static final AttributeKey<String> SITE = new AttributeKey<>();

    private final SshServer sshd;
    private final Map<String, Set<ServerSession>> sessions = new ConcurrentHashMap<>();

    private EmbeddedSshServer(SshServer sshd) {
        this.sshd = sshd;
    }

    /**
     * @param keySites the site each authorized client key speaks for
     * @param peers    the SSH ports of each peer site allowed to log in
     * @param liveness starts keepalives on an authenticated session of a site
     */
    static EmbeddedSshServer start(HostPort listen, KeyPair hostKey, Function<PublicKey, String> keySites,
            Map<String, SshPeerConfig> peers, long windowBytes, long packetBytes, TunnelListener listener,
            java.util.function.BiConsumer<ServerSession, String> liveness) {
        SshServer sshd = SshServer.setUpDefaultServer();
        EmbeddedSshServer server = new EmbeddedSshServer(sshd);
        sshd.setHost(listen.host());
        sshd.setPort(listen.port());
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        sshd.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setGSSAuthenticator(null);
        sshd.setHostBasedAuthenticator(null);
        sshd.setPublickeyAuthenticator((user, key, session) -> {
            String site = keySites.apply(key);
            String refusal = site == null ? "unknown_client_key"
                    : !peers.containsKey(site) ? "wrong_site"
                    : !site.equals(user) ? "wrong_site" : null;
            if (refusal != null) {
                listener.authFailure("ssh", refusal, "login as '" + user + "' from " + session.getRemoteAddress()
                        + (site == null ? " with a key not in authorized_keys" : " with a key of site " + site));
                return false;
            }
            session.setAttribute(SITE, site);
            return true;
        });
        sshd.setForwardingFilter(ForwardingFilter.asForwardingFilter(
                (session, requestType) -> refuse(listener, session, "agent forwarding"),
                (session, requestType) -> refuse(listener, session, "X11 forwarding"),
                new TcpForwardingFilter() {
                    @Override
                    public boolean canListen(SshdSocketAddress address, Session session) {
                        SshPeerConfig p = peers.get(session.getAttribute(SITE));
                        return (p != null && loopback(address) && address.getPort() == p.reversePort())
                                || refuse(listener, session, "listening on " + address);
                    }

                    @Override
                    public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
                        SshPeerConfig p = peers.get(session.getAttribute(SITE));
                        return (p != null && type == Type.Direct && loopback(address) && address.getPort() == p.streamPort())
                                || refuse(listener, session, type.getName() + " to " + address);
                    }
                }));
        sshd.setChannelFactories(List.of(RefusingSessionChannel.factory(listener), DirectTcpipFactory.INSTANCE));
        CoreModuleProperties.WINDOW_SIZE.set(sshd, windowBytes);
        CoreModuleProperties.MAX_PACKET_SIZE.set(sshd, packetBytes);
        // Liveness is distgate's own (dead_after); MINA's idle timeout would cut quiet tunnels.
        CoreModuleProperties.IDLE_TIMEOUT.set(sshd, Duration.ZERO);
        sshd.addSessionListener(new SessionListener() {
            @Override
            public void sessionEvent(Session session, Event event) {
                if (event == Event.Authenticated) {
                    String site = session.getAttribute(SITE);
                    ServerSession s = (ServerSession) session;
                    server.sessions.computeIfAbsent(site, k -> ConcurrentHashMap.newKeySet()).add(s);
                    listener.tunnelUp(site, "accepted", String.valueOf(session.getRemoteAddress()),
                            "SSH " + session.getNegotiatedKexParameter(org.apache.sshd.common.kex.KexProposalOption.C2SENC));
                    liveness.accept(s, site);
                }
            }

            @Override
            public void sessionClosed(Session session) {
                String site = session.getAttribute(SITE);
                if (site != null && server.sessions.getOrDefault(site, Set.of()).remove(session)) {
                    listener.tunnelDown(site, "accepted", "SSH session closed");
                }
            }
        });
        try {
            sshd.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the SSH server on " + listen + ": " + e.getMessage(), e);
        }
        return server;
    }

    private static boolean loopback(SshdSocketAddress address) {
        String host = address.getHostName();
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }

    private static boolean refuse(TunnelListener listener, Session session, String what) {
        listener.authFailure("ssh", "forward_refused", what + " refused for " + session.getRemoteAddress()
                + " (site " + session.getAttribute(SITE) + ")");
        return false;
    }

    /** True while a peer of {@code site} is logged in. */
    boolean hasSession(String site) {
        return sessions.getOrDefault(site, Set.of()).stream().anyMatch(Session::isOpen);
    }

    int port() {
        return ((InetSocketAddress) sshd.getBoundAddresses().iterator().next()).getPort();
    }

    void stop() {
        try {
            sshd.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
